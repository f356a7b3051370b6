using System.Globalization;
using HotDistance.Core.Volumes;

namespace HotDistance.SiteAgent.Blockwise;

/// <summary>
/// <c>--roi</c> (or a site volume's <c>roi</c>): the part of the input to segment, per axis z, y, x as START:END (END
/// excluded), in voxels of the input level, or in nanometres (physical coordinates, as the input's offset and voxel
/// size place it) with an <c>nm</c> suffix, e.g. <c>0:64,0:512,0:512</c> or <c>1000:3000,0:8000,0:8000nm</c>.
/// <see cref="Source"/> names the option or setting it came from in messages.
/// </summary>
public sealed record RegionOfInterest(double[] Start, double[] End, bool Nanometres)
{
    public const string Syntax = "z0:z1,y0:y1,x0:x1 in voxels, or the same in nm with an nm suffix";

    /// <summary>The option or setting the region was read from (<c>--roi</c>, <c>site:volumes:0:roi</c>), for messages.</summary>
    public string Source { get; init; } = "--roi";

    /// <summary>Reads <see cref="Syntax"/>; <paramref name="source"/> names the option or setting in errors.</summary>
    public static RegionOfInterest Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var nanometres = trimmed.EndsWith("nm", StringComparison.OrdinalIgnoreCase);
        var axes = (nanometres ? trimmed[..^2] : trimmed).Split(',', StringSplitOptions.TrimEntries);
        var start = new double[3];
        var end = new double[3];
        for (var axis = 0; axis < 3 && axes.Length == 3; axis++)
        {
            var bounds = axes[axis].Split(':');
            if (bounds.Length != 2
                || !double.TryParse(bounds[0], NumberStyles.Float, CultureInfo.InvariantCulture, out start[axis])
                || !double.TryParse(bounds[1], NumberStyles.Float, CultureInfo.InvariantCulture, out end[axis])
                || !double.IsFinite(start[axis]) || !double.IsFinite(end[axis]) || end[axis] <= start[axis])
            {
                throw new ArgumentException($"{source} '{text}': axis {axis} '{axes[axis]}' is not START:END with START < END; use {Syntax}");
            }
        }

        return axes.Length == 3
            ? new RegionOfInterest(start, end, nanometres) { Source = source }
            : throw new ArgumentException($"{source} '{text}' does not give three axes; use {Syntax}");
    }

    /// <summary>The voxel box of a <paramref name="volume"/> on the given grid; a box reaching outside it is refused.</summary>
    public (int[] Start, Shape3 Shape) Voxels(Shape3 volume, VoxelSize voxelSize, IReadOnlyList<double> offsetNm)
    {
        ArgumentNullException.ThrowIfNull(offsetNm);
        var start = new int[3];
        var size = new int[3];
        for (var axis = 0; axis < 3; axis++)
        {
            var (from, to) = Nanometres
                ? (Math.Floor((Start[axis] - offsetNm[axis]) / voxelSize[axis]), Math.Ceiling((End[axis] - offsetNm[axis]) / voxelSize[axis]))
                : (Start[axis], End[axis]);
            if (from < 0 || to > volume[axis] || from != Math.Floor(from) || to != Math.Floor(to))
            {
                var unit = Nanometres ? "nm" : "voxels";
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{Source}: axis {axis} {Start[axis]}:{End[axis]} {unit} is not whole voxels inside the input's 0:{volume[axis]} voxels{(Nanometres ? $" ({offsetNm[axis]} nm to {offsetNm[axis] + (volume[axis] * voxelSize[axis])} nm)" : string.Empty)}"));
            }

            start[axis] = (int)from;
            size[axis] = (int)(to - from);
        }

        return (start, Shape3.FromArray(size));
    }

    /// <summary>The region as <see cref="Syntax"/> writes it (what <see cref="Parse"/> reads back).</summary>
    public override string ToString() => string.Join(',', Enumerable.Range(0, 3).Select(a => string.Create(CultureInfo.InvariantCulture, $"{Start[a]:R}:{End[a]:R}")))
        + (Nanometres ? "nm" : string.Empty);
}
