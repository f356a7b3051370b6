using System.Globalization;

namespace HotDistance.Core.Crops.Thinning;

/// <summary>
/// One level of annotation density, made from full crops by removing annotation (<see cref="AnnotationThinner"/>):
/// each crop keeps <see cref="ClassesPerCrop"/> of its annotated classes, <see cref="VoxelFraction"/> of its voxels
/// stay known (the rest become unknown in <see cref="Pattern"/>), and only the first <see cref="CropCount"/> training
/// crops are used. Zero means "all" for the two counts. Written and read as text (<see cref="Parse"/>), so a level
/// is one value in hd.json, in a variable or on the command line: <c>full</c>, <c>classes=1</c>,
/// <c>voxels=0.5:slabs</c>, <c>voxels=0.25:blocks:4</c>, <c>crops=2</c>, or several joined by <c>+</c>.
/// </summary>
public sealed record AnnotationDensity
{
    public const string Syntax = "full, classes=K, voxels=F[:slabs|:blocks][:EDGE], crops=N, or several joined by + (e.g. classes=1+voxels=0.5:blocks)";

    public static AnnotationDensity Full { get; } = new();

    /// <summary>Annotated classes each crop keeps (chosen by the seed); 0 keeps them all.</summary>
    public int ClassesPerCrop { get; init; }

    /// <summary>Share of each crop's voxels that stay annotated; the rest is marked unknown (255).</summary>
    public double VoxelFraction { get; init; } = 1.0;

    public UnknownPattern Pattern { get; init; } = UnknownPattern.Slabs;

    /// <summary>Edge in voxels of a block, or thickness of a slab.</summary>
    public int BlockSize { get; init; } = 4;

    /// <summary>The first this many training crops are trained on; 0 uses them all.</summary>
    public int CropCount { get; init; }

    /// <summary>Whether the level removes no annotation from a crop (it may still use fewer crops).</summary>
    public bool KeepsLabels => ClassesPerCrop == 0 && VoxelFraction >= 1.0;

    /// <summary>The level's name in tables, charts and cell folders: its canonical text.</summary>
    public string Name => ToString();

    /// <param name="text">The level, as <see cref="Syntax"/> describes.</param>
    /// <param name="source">What gave the text (a configuration key), for the message when it is wrong.</param>
    public static AnnotationDensity Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var density = new AnnotationDensity();
        if (text.Trim() is "full" or "")
        {
            return density;
        }

        foreach (var part in text.Split('+', StringSplitOptions.TrimEntries))
        {
            var (name, value) = part.IndexOf('=', StringComparison.Ordinal) is var at and > 0 ? (part[..at], part[(at + 1)..]) : (part, string.Empty);
            density = name switch
            {
                "classes" => density with { ClassesPerCrop = Whole(value, 1, 1000, source, part) },
                "crops" => density with { CropCount = Whole(value, 1, 100_000, source, part) },
                "voxels" => Voxels(density, value, source, part),
                _ => throw Problem(source, part),
            };
        }

        return density;
    }

    public override string ToString()
    {
        var parts = new List<string>();
        if (ClassesPerCrop > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"classes={ClassesPerCrop}"));
        }

        if (VoxelFraction < 1.0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"voxels={VoxelFraction:0.###}:{Pattern.ToString().ToLowerInvariant()}:{BlockSize}"));
        }

        if (CropCount > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"crops={CropCount}"));
        }

        return parts.Count == 0 ? "full" : string.Join('+', parts);
    }

    private static AnnotationDensity Voxels(AnnotationDensity density, string value, string source, string part)
    {
        var pieces = value.Split(':', StringSplitOptions.TrimEntries);
        if (!double.TryParse(pieces[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) || fraction is not (>= 0.01 and <= 1.0))
        {
            throw Problem(source, part, "the voxel fraction must be a number from 0.01 to 1");
        }

        var pattern = pieces.Length > 1 ? pieces[1] switch
        {
            "slabs" => UnknownPattern.Slabs,
            "blocks" => UnknownPattern.Blocks,
            _ => throw Problem(source, part, "the pattern must be slabs or blocks"),
        } : UnknownPattern.Slabs;
        var edge = pieces.Length > 2 ? Whole(pieces[2], 1, 1024, source, part) : density.BlockSize;
        return pieces.Length > 3 ? throw Problem(source, part) : density with { VoxelFraction = fraction, Pattern = pattern, BlockSize = edge };
    }

    private static int Whole(string value, int minimum, int maximum, string source, string part) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum && number <= maximum
            ? number
            : throw Problem(source, part, string.Create(CultureInfo.InvariantCulture, $"the count must be a whole number from {minimum} to {maximum}"));

    private static FormatException Problem(string source, string part, string? why = null) =>
        new($"{source}: '{part}' is not a density level{(why is null ? string.Empty : $" ({why})")}; write {Syntax}");
}
