using System.Globalization;

namespace HotDistance.Core.Zarr;

/// <summary>
/// Where CellMap datasets keep raw data and ground truth (SPEC "Crops on disk"):
/// <c>&lt;dataset&gt;.zarr/recon-1/em/fibsem-uint8/s0</c> (or fibsem-uint16) and
/// <c>&lt;dataset&gt;.zarr/recon-1/labels/groundtruth/crop&lt;N&gt;/&lt;class&gt;/s0</c>.
/// </summary>
public static class CellMapLayout
{
    public const string ReconstructionGroup = "recon-1";
    public const string RawUInt8Group = "fibsem-uint8";
    public const string RawUInt16Group = "fibsem-uint16";

    /// <summary>CellMap's combined label map of a crop (all classes in one array of class ids): not a class.</summary>
    public const string CombinedLabelsGroup = "all";

    public static string EmPath(string datasetZarrPath) =>
        Path.Combine(datasetZarrPath, ReconstructionGroup, "em");

    public static string GroundTruthPath(string datasetZarrPath) =>
        Path.Combine(datasetZarrPath, ReconstructionGroup, "labels", "groundtruth");

    public static string CropPath(string datasetZarrPath, string cropName) =>
        Path.Combine(GroundTruthPath(datasetZarrPath), cropName);

    /// <summary>
    /// The dataset and crop that a crop group path names (<c>&lt;dataset&gt;.zarr/recon-1/labels/groundtruth/crop3</c>,
    /// the path people copy from a viewer), or the path itself and null when it is not one.
    /// </summary>
    public static (string Dataset, string? Crop) SplitCropPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = Path.TrimEndingDirectorySeparator(path);
        var groundTruth = Path.GetDirectoryName(trimmed);
        var dataset = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(groundTruth)));
        return !string.IsNullOrEmpty(dataset) && Path.Combine(dataset, ReconstructionGroup, "labels", "groundtruth") == groundTruth
            ? (dataset, Path.GetFileName(trimmed))
            : (path, null);
    }

    /// <summary>The raw multiscale group (fibsem-uint8 preferred, then fibsem-uint16), or null if neither exists.</summary>
    public static string? FindRawGroup(string datasetZarrPath) =>
        new[] { RawUInt8Group, RawUInt16Group }
            .Select(name => Path.Combine(EmPath(datasetZarrPath), name))
            .FirstOrDefault(Directory.Exists);

    /// <summary>"jrc_hela-2" for ".../jrc_hela-2.zarr".</summary>
    public static string DatasetName(string datasetZarrPath)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(datasetZarrPath)));
        return name.EndsWith(".zarr", StringComparison.OrdinalIgnoreCase) ? name[..^5] : name;
    }

    /// <summary>Orders "crop2" before "crop10".</summary>
    internal static int CompareCropNames(string? a, string? b)
    {
        (string prefixA, long numberA) = Split(a ?? string.Empty);
        (string prefixB, long numberB) = Split(b ?? string.Empty);
        int byPrefix = string.CompareOrdinal(prefixA, prefixB);
        return byPrefix != 0 ? byPrefix : numberA != numberB ? numberA.CompareTo(numberB) : string.CompareOrdinal(a, b);

        static (string Prefix, long Number) Split(string name)
        {
            int i = name.Length;
            while (i > 0 && char.IsAsciiDigit(name[i - 1]))
            {
                i--;
            }

            return i < name.Length && i > name.Length - 18
                ? (name[..i], long.Parse(name.AsSpan(i), NumberStyles.None, CultureInfo.InvariantCulture))
                : (name, -1);
        }
    }
}
