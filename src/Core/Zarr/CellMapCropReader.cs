using System.Globalization;
using HotDistance.Core.Crops;
using HotDistance.Core.Volumes;

namespace HotDistance.Core.Zarr;

/// <summary>
/// Reads annotated crops from a CellMap-layout Zarr dataset: labels at their s0 level, and the raw cut out at the
/// label offset from the raw level with the same voxel size. A class array holding only 0, 1 and 255 is a binary
/// mask (0 absent, 1 present, 255 unknown), except that a multi-byte array without 255 is read as instance ids;
/// any other array holds instance ids (uint32 range), and its mask is id &gt; 0. CellMap's combined "all" group
/// is not a class and is skipped.
/// </summary>
public static class CellMapCropReader
{
    private const double ScaleTolerance = 1e-6;
    private const double GridTolerance = 1e-3;

    /// <summary>Names of the crops under recon-1/labels/groundtruth, "crop2" before "crop10".</summary>
    public static IReadOnlyList<string> ListCrops(string datasetZarrPath)
    {
        ArgumentNullException.ThrowIfNull(datasetZarrPath);
        string groundTruth = CellMapLayout.GroundTruthPath(datasetZarrPath);
        if (!Directory.Exists(groundTruth))
        {
            return [];
        }

        var crops = Directory.EnumerateDirectories(groundTruth)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => !name.StartsWith('.') && ClassGroups(Path.Combine(groundTruth, name)).Count > 0)
            .ToList();
        crops.Sort(CellMapLayout.CompareCropNames);
        return crops;
    }

    /// <summary>
    /// Reads crop <paramref name="cropName"/> (e.g. "crop3") of the dataset at <paramref name="datasetZarrPath"/>; a crop
    /// of more than <paramref name="maxVoxels"/> voxels is refused before any of it is read.
    /// </summary>
    public static Crop Read(string datasetZarrPath, string cropName, long maxVoxels = CropLimits.DefaultMaxVoxels)
    {
        ArgumentNullException.ThrowIfNull(datasetZarrPath);
        ArgumentNullException.ThrowIfNull(cropName);
        string cropPath = CellMapLayout.CropPath(datasetZarrPath, cropName);
        if (!Directory.Exists(cropPath))
        {
            throw new ZarrFormatException(cropPath, "crop", "does not exist",
                $"use a crop name that CellMapCropReader.ListCrops lists ({string.Join(", ", ListCrops(datasetZarrPath))})");
        }

        List<string> classes = ClassGroups(cropPath);
        if (classes.Count == 0)
        {
            throw new ZarrFormatException(cropPath, "crop", "has no class groups",
                "write one group per annotated class (<class>/s0 with OME-NGFF multiscales)");
        }

        // Every class must lie on one grid: the crop's.
        var arrays = new List<(string ClassName, ZarrArray Array)>(classes.Count);
        OmeScaleLevel? grid = null;
        Shape3 shape = default;
        foreach (string className in classes)
        {
            string classPath = Path.Combine(cropPath, className);
            OmeMultiscale multiscale = OmeNgff.ReadMultiscale(classPath);
            OmeScaleLevel level = multiscale.Level("s0") ?? multiscale.Levels[0];
            ZarrArray array = ZarrArray.Open(Path.Combine(classPath, level.Path));
            string attributes = Path.Combine(classPath, ZarrGroup.AttributesFileName);
            if (array.Rank != 3 || level.ScaleNm.Count != 3)
            {
                throw new ZarrFormatException(array.MetadataPath, "shape", $"has {array.Rank} dimensions",
                    "store labels as 3-D (z, y, x) arrays");
            }

            if (grid is null)
            {
                grid = level;
                shape = array.Shape3;
                if (shape.Count > maxVoxels)
                {
                    throw new ZarrFormatException(array.MetadataPath, "shape",
                        string.Create(CultureInfo.InvariantCulture, $"is {shape}, {shape.Count} voxels, over the {maxVoxels} a crop may hold"),
                        "split it into smaller crops (or raise the ingest limit MaxCropVoxels)");
                }
            }
            else if (array.Shape3 != shape || !SameScale(level.ScaleNm, grid.ScaleNm) || !SameTranslation(level, grid))
            {
                throw new ZarrFormatException(attributes, "multiscales[0].datasets",
                    $"puts class '{className}' on a grid ({array.Shape3} voxels of {Format(level.ScaleNm)} nm at {Format(level.TranslationNm)} nm) " +
                    $"different from class '{arrays[0].ClassName}' ({shape} voxels of {Format(grid.ScaleNm)} nm at {Format(grid.TranslationNm)} nm)",
                    "resample the crop's classes onto one voxel grid");
            }

            arrays.Add((className, array));
        }

        (Volume<float> raw, double rawMaximum) = ReadRaw(datasetZarrPath, cropPath, grid!, shape);
        var labels = new Dictionary<string, ClassLabels>(StringComparer.Ordinal);
        foreach ((string className, ZarrArray array) in arrays)
        {
            labels[className] = ReadClass(className, array);
        }

        return new Crop
        {
            Name = $"{CellMapLayout.DatasetName(datasetZarrPath)}/{cropName}",
            Raw = raw,
            RawMaximum = rawMaximum,
            VoxelSize = grid!.VoxelSize,
            OffsetNm = grid.OffsetNm,
            Labels = labels,
        };
    }

    private static (Volume<float> Raw, double Maximum) ReadRaw(string datasetZarrPath, string cropPath, OmeScaleLevel grid, Shape3 shape)
    {
        string rawGroup = CellMapLayout.FindRawGroup(datasetZarrPath)
            ?? throw new ZarrFormatException(CellMapLayout.EmPath(datasetZarrPath), "raw group", "is missing",
                $"store the raw as {CellMapLayout.RawUInt8Group} or {CellMapLayout.RawUInt16Group} under recon-1/em");
        OmeMultiscale multiscale = OmeNgff.ReadMultiscale(rawGroup);
        string attributes = Path.Combine(rawGroup, ZarrGroup.AttributesFileName);
        OmeScaleLevel level = multiscale.Levels.FirstOrDefault(l => SameScale(l.ScaleNm, grid.ScaleNm))
            ?? throw new ZarrFormatException(attributes, "multiscales[0].datasets",
                $"has no level at the labels' voxel size {Format(grid.ScaleNm)} nm (of {cropPath}); levels: " +
                string.Join(", ", multiscale.Levels.Select(l => $"{l.Path} {Format(l.ScaleNm)} nm")),
                "add a raw level at the labels' voxel size, or resample the labels to a raw level's voxel size");

        ZarrArray array = ZarrArray.Open(Path.Combine(rawGroup, level.Path));
        if (array.Rank != 3)
        {
            throw new ZarrFormatException(array.MetadataPath, "shape", $"has {array.Rank} dimensions", "store raw as a 3-D (z, y, x) array");
        }

        var offset = new long[3];
        for (int d = 0; d < 3; d++)
        {
            double voxels = (grid.TranslationNm[d] - level.TranslationNm[d]) / grid.ScaleNm[d];
            offset[d] = (long)Math.Round(voxels);
            if (Math.Abs(voxels - offset[d]) > GridTolerance)
            {
                throw new ZarrFormatException(attributes, "multiscales[0].datasets.coordinateTransformations.translation",
                    $"puts raw level {level.Path} at {Format(level.TranslationNm)} nm, which is not on the voxel grid of the labels of {cropPath} at {Format(grid.TranslationNm)} nm",
                    "fix the translation of the labels or the raw so their offset is a whole number of voxels");
            }
        }

        for (int d = 0; d < 3; d++)
        {
            if (offset[d] < 0 || offset[d] + shape[d] > array.Shape[d])
            {
                throw new ZarrFormatException(array.MetadataPath, "shape",
                    $"is [{string.Join(", ", array.Shape)}], but the labels of {cropPath} cover voxels " +
                    $"[{string.Join(", ", offset)}] to [{string.Join(", ", offset.Select((o, i) => o + shape[i]))}] of it (labels outside raw extent)",
                    "fix the labels' translation, or crop the labels to the raw extent");
            }
        }

        return RawArray.TryRead(array, offset, shape)
            ?? throw new ZarrFormatException(array.MetadataPath, "dtype", $"is {array.DataType}", "store raw as uint8 (|u1) or uint16 (<u2)");
    }

    internal static ClassLabels ReadClass(string className, ZarrArray array)
    {
        if (array.DataType.Kind == ZarrElementKind.FloatingPoint)
        {
            throw new ZarrFormatException(array.MetadataPath, "dtype", $"is {array.DataType} for class '{className}'",
                "store labels as unsigned integers: uint8 0/1/255 for binary classes, instance ids for instance classes");
        }

        Shape3 shape = array.Shape3;
        if (array.DataType.Size == 1)
        {
            byte[] values = array.Read<byte>();
            return IsBinary(values)
                ? new ClassLabels(className, new Volume<byte>(shape, values))
                : Instances(className, shape, values.Select(v => (uint)v).ToArray());
        }

        uint[] ids;
        try
        {
            ids = array.Read<uint>();
        }
        catch (ZarrValueOutOfRangeException e)
        {
            throw new ZarrFormatException(e.FilePath ?? array.MetadataPath, "dtype",
                $"is {array.DataType} and class '{className}' holds a label outside 0..{uint.MaxValue} (instance ids must fit uint32)",
                "relabel the instances with ids from 1 to 4294967295", e);
        }

        // Wider than a byte, with no unknown marks: CellMap stores binary classes as uint8, so this is an instance
        // array whose only id happens to be 1; keeping the ids keeps the class an instance class.
        if (IsBinary(ids) && Array.IndexOf(ids, (uint)LabelValues.Unknown) >= 0)
        {
            var mask = new byte[ids.Length];
            for (int i = 0; i < ids.Length; i++)
            {
                mask[i] = (byte)ids[i];
            }

            return new ClassLabels(className, new Volume<byte>(shape, mask));
        }

        return Instances(className, shape, ids);
    }

    private static ClassLabels Instances(string className, Shape3 shape, uint[] ids)
    {
        var mask = new byte[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            mask[i] = ids[i] > 0 ? LabelValues.Present : LabelValues.Absent;
        }

        return new ClassLabels(className, new Volume<byte>(shape, mask), new Volume<uint>(shape, ids));
    }

    private static bool IsBinary(byte[] values)
    {
        foreach (byte v in values)
        {
            if (v is not (LabelValues.Absent or LabelValues.Present or LabelValues.Unknown))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsBinary(uint[] values)
    {
        foreach (uint v in values)
        {
            if (v is not (LabelValues.Absent or LabelValues.Present or LabelValues.Unknown))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Class groups of a crop: child directories with Zarr metadata, except CellMap's combined "all" map.</summary>
    private static List<string> ClassGroups(string cropPath) =>
        Directory.EnumerateDirectories(cropPath)
            .Where(d => ZarrGroup.Exists(d) || File.Exists(Path.Combine(d, ZarrGroup.AttributesFileName)))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => !name.StartsWith('.') && name != CellMapLayout.CombinedLabelsGroup)
            .Order(StringComparer.Ordinal)
            .ToList();

    internal static bool SameScale(IReadOnlyList<double> a, IReadOnlyList<double> b) =>
        a.Count == b.Count && a.Zip(b).All(p => Math.Abs(p.First - p.Second) <= ScaleTolerance * Math.Max(Math.Abs(p.First), Math.Abs(p.Second)));

    private static bool SameTranslation(OmeScaleLevel a, OmeScaleLevel b) =>
        a.TranslationNm.Zip(b.TranslationNm, a.ScaleNm).All(t => Math.Abs(t.First - t.Second) <= GridTolerance * t.Third);

    internal static string Format(IEnumerable<double> values) =>
        "[" + string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]";
}
