using System.Globalization;
using System.Text.Json.Nodes;
using HotDistance.Core.Zarr;

namespace HotDistance.Core.Targets;

/// <summary>
/// Writes <see cref="HotDistanceTargets"/> as a Zarr v2 group a person can open in napari or neuroglancer: four
/// float32 arrays (C, Z, Y, X) named <see cref="OneHotArray"/>, <see cref="DistanceArray"/>,
/// <see cref="OneHotWeightArray"/> and <see cref="DistanceWeightArray"/>, and group attributes that say what the
/// channels are (class order, voxel size, the settings that made them, where each class's targets came from).
/// The group is built under a hidden sibling name and renamed into place, so a half-written group never shows.
/// </summary>
public static class TargetsZarrWriter
{
    public const string OneHotArray = "onehot";
    public const string DistanceArray = "distance";
    public const string OneHotWeightArray = "onehot_weight";
    public const string DistanceWeightArray = "distance_weight";

    /// <summary>Group attribute (with <see cref="MarkerValue"/>) that marks a group as written by this writer.</summary>
    public const string MarkerAttribute = "hotdistance";
    public const string MarkerValue = "targets";

    /// <summary>Group attribute holding the class of each channel, in channel order.</summary>
    public const string ClassesAttribute = "classes";

    private static readonly string[] Axes = ["c", "z", "y", "x"];

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> when <paramref name="groupPath"/> cannot take the output: it exists
    /// and <paramref name="overwrite"/> is false, or it exists and is neither an empty folder nor a targets group
    /// this writer made (anything else, a dataset say, is never deleted). Call it before the targets are computed
    /// to fail fast.
    /// </summary>
    public static void CheckTarget(string groupPath, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(groupPath);
        if (File.Exists(groupPath))
        {
            throw new ArgumentException($"{groupPath} is a file; choose a folder path (e.g. targets.zarr) for the output group");
        }

        if (!Directory.Exists(groupPath))
        {
            return;
        }

        if (!overwrite)
        {
            throw new ArgumentException($"{groupPath} already exists; choose another output path or allow replacing it");
        }

        if (Directory.EnumerateFileSystemEntries(groupPath).Any() && !IsTargetsGroup(groupPath))
        {
            throw new ArgumentException(
                $"{groupPath} exists and is not a targets group (its {ZarrGroup.AttributesFileName} lacks \"{MarkerAttribute}\": \"{MarkerValue}\"); " +
                "it is not replaced, to protect what is in it: choose another output path");
        }
    }

    /// <summary>Whether the folder is a group this writer made (so replacing it loses nothing but old targets).</summary>
    public static bool IsTargetsGroup(string groupPath)
    {
        ArgumentNullException.ThrowIfNull(groupPath);
        try
        {
            return ZarrGroup.Exists(groupPath)
                && ZarrGroup.ReadAttributes(groupPath)[MarkerAttribute] is JsonValue marker
                && marker.TryGetValue(out string? value)
                && value == MarkerValue;
        }
        catch (ZarrFormatException)
        {
            return false;
        }
    }

    /// <summary>Writes the group; an existing group at the path is replaced only when <paramref name="options"/> allow it.</summary>
    public static void Write(string groupPath, HotDistanceTargets targets, HotDistanceTargetSettings settings, TargetsZarrOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(groupPath);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(settings);
        options ??= new TargetsZarrOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ChunkEdge, 1);
        CheckTarget(groupPath, options.Overwrite);

        string full = Path.GetFullPath(Path.TrimEndingDirectorySeparator(groupPath));
        string parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, string.Create(CultureInfo.InvariantCulture, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp"));
        try
        {
            ZarrGroup.Create(staging);
            long[] shape = targets.TensorShape;
            int[] chunks = [1, .. targets.Shape.ToArray().Select(extent => Math.Min(options.ChunkEdge, extent))];
            var write = new ZarrWriteOptions { Compressor = ZarrCompressor.Zstd() };
            foreach ((string name, float[] data, string description) in Arrays(targets))
            {
                string arrayPath = Path.Combine(staging, name);
                ZarrArray.Create<float>(arrayPath, shape, chunks, write).Write<float>(data);
                ZarrGroup.WriteAttributes(arrayPath, new JsonObject
                {
                    // xarray's dimension names; neuroglancer and napari plugins read them too.
                    ["_ARRAY_DIMENSIONS"] = Strings(Axes),
                    ["description"] = description,
                });
            }

            ZarrGroup.WriteAttributes(staging, Attributes(targets, settings, options));
            if (Directory.Exists(full))
            {
                Directory.Delete(full, recursive: true);
            }

            Directory.Move(staging, full);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static (string Name, float[] Data, string Description)[] Arrays(HotDistanceTargets targets) =>
    [
        (OneHotArray, targets.OneHot, "1 where the class is present, 0 elsewhere (also where unknown)"),
        (DistanceArray, targets.Distance, "tanh(d / scale_nm), d the signed distance (nm) to the class boundary, positive inside; 0 where unknown"),
        (OneHotWeightArray, targets.OneHotWeight, "class-balanced loss weight of the one-hot channel; 0 where the voxel's class is unknown"),
        (DistanceWeightArray, targets.DistanceWeight, "class-balanced loss weight of the distance channel; 0 where the distance cannot be trusted"),
    ];

    private static JsonObject Attributes(HotDistanceTargets targets, HotDistanceTargetSettings settings, TargetsZarrOptions options)
    {
        var sources = new JsonObject();
        var exclusive = new JsonObject();
        for (int c = 0; c < targets.ClassCount; c++)
        {
            string name = targets.ClassNames[c];
            sources[name] = SourceName(targets.Sources[c]);
            exclusive[name] = Strings(settings.MutualExclusions.ExclusiveWith(name));
        }

        var attributes = new JsonObject
        {
            [MarkerAttribute] = MarkerValue,
            ["source"] = options.Source,
            [ClassesAttribute] = Strings(targets.ClassNames),
            ["axes"] = Strings(Axes),
            [LabelGroupReader.VoxelSizeAttribute] = Numbers(targets.VoxelSize.ToArray()),
            ["offset_nm"] = options.OffsetNm is { } offset ? Numbers(offset) : null,
            ["scale_nm"] = settings.ScaleNm,
            ["epsilon"] = settings.Epsilon,
            ["threshold"] = settings.Threshold,
            ["clip_min"] = settings.ClipMin,
            ["clip_max"] = settings.ClipMax,
            ["class_sources"] = sources,
            ["exclusive_with"] = exclusive,
        };
        return attributes;
    }

    /// <summary>The attribute value of a source: "annotated", "exclusion_negatives" or "not_annotated".</summary>
    public static string SourceName(ClassTargetSource source) => source switch
    {
        ClassTargetSource.Annotated => "annotated",
        ClassTargetSource.ExclusionNegatives => "exclusion_negatives",
        ClassTargetSource.NotAnnotated => "not_annotated",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    private static JsonArray Numbers(IEnumerable<double> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
