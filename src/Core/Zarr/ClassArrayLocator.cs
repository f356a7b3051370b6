using HotDistance.Core.Volumes;

namespace HotDistance.Core.Zarr;

/// <summary>
/// Finds the array of one class inside a group of per-class entries. A class may be stored as a plain array
/// (<c>&lt;group&gt;/mito</c>, as numpy/zarr users write it) or the CellMap way, as a multiscale group whose
/// first level (s0) holds the full-resolution array (<c>&lt;group&gt;/mito/s0</c>). hd predict's output, which
/// keeps instance ids under <c>instances/</c> and masks under <c>semantic/</c>, is read as such a group too:
/// a class's instance ids where it has them, else its mask.
/// </summary>
internal static class ClassArrayLocator
{
    /// <summary>A class's array and, when its group carries OME-NGFF metadata, its voxel size.</summary>
    /// <summary>A class's array, and the grid its OME-NGFF metadata puts it on, when it has any.</summary>
    internal sealed record Located(string ClassName, ZarrArray Array, VoxelSize? VoxelSize, IReadOnlyList<double>? OffsetNm = null);

    /// <summary>Where <see cref="Find"/> looks for <paramref name="className"/>, for error messages.</summary>
    public static string Places(string groupPath, string className) =>
        $"{Path.Combine(groupPath, className, ZarrArray.MetadataFileName)} or {Path.Combine(groupPath, className, "s0", ZarrArray.MetadataFileName)}";

    /// <summary>hd predict's subgroups, preferred in this order.</summary>
    public static readonly IReadOnlyList<string> PredictionSubgroups = ["instances", "semantic"];

    /// <summary>The class's array, or null when the group holds nothing under that name.</summary>
    public static Located? Find(string groupPath, string className) =>
        FindDirectly(groupPath, className)
        ?? PredictionSubgroups.Select(subgroup => FindDirectly(Path.Combine(groupPath, subgroup), className)).FirstOrDefault(found => found is not null);

    private static Located? FindDirectly(string groupPath, string className)
    {
        string entry = Path.Combine(groupPath, className);
        if (ZarrArray.Exists(entry))
        {
            return new Located(className, ZarrArray.Open(entry), null);
        }

        if (OmeNgff.HasMultiscale(entry))
        {
            OmeMultiscale multiscale = OmeNgff.ReadMultiscale(entry);
            OmeScaleLevel level = multiscale.Level("s0") ?? multiscale.Levels[0];
            VoxelSize? voxelSize = level.ScaleNm.Count == 3 ? level.VoxelSize : null;
            return new Located(className, ZarrArray.Open(Path.Combine(entry, level.Path)), voxelSize, level.TranslationNm.Count == 3 ? level.OffsetNm : null);
        }

        string s0 = Path.Combine(entry, "s0");
        return ZarrArray.Exists(s0) ? new Located(className, ZarrArray.Open(s0), null) : null;
    }

    /// <summary>Names of the group's entries that hold a class array, in ordinal order; hidden names and CellMap's "all" are skipped.</summary>
    public static IReadOnlyList<string> ListClasses(string groupPath) =>
        ListDirectly(groupPath)
            .Concat(PredictionSubgroups.SelectMany(subgroup => ListDirectly(Path.Combine(groupPath, subgroup))))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static List<string> ListDirectly(string groupPath) =>
        Directory.Exists(groupPath)
            ? Directory.EnumerateDirectories(groupPath)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(name => !name.StartsWith('.') && name != CellMapLayout.CombinedLabelsGroup && Holds(Path.Combine(groupPath, name)))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    private static bool Holds(string entry) =>
        ZarrArray.Exists(entry) || OmeNgff.HasMultiscale(entry) || ZarrArray.Exists(Path.Combine(entry, "s0"));
}
