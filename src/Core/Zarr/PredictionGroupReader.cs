using System.Globalization;
using HotDistance.Core.PostProcessing;
using HotDistance.Core.Volumes;

namespace HotDistance.Core.Zarr;

/// <summary>
/// Reads a segmentation to score: a Zarr group with one array per class, named after the class (a plain
/// <c>&lt;group&gt;/mito</c> array or a CellMap-style <c>&lt;group&gt;/mito/s0</c>). An array with at most one
/// distinct nonzero value (a bool, 0/1 or 0/255 mask) is a mask; scorers split it into instances where they need
/// them. An array with several nonzero values holds instance ids (0 background) and its mask is id &gt; 0.
/// </summary>
public static class PredictionGroupReader
{
    /// <summary>The classes the group holds, in ordinal order.</summary>
    public static IReadOnlyList<string> ListClasses(string groupPath)
    {
        ArgumentNullException.ThrowIfNull(groupPath);
        return ClassArrayLocator.ListClasses(groupPath);
    }

    /// <summary>
    /// Reads <paramref name="classNames"/> from the group at <paramref name="groupPath"/>. Every class must be
    /// present and have shape <paramref name="expectedShape"/>; <paramref name="truthDescription"/> (e.g. the
    /// truth crop's path) is named in the errors so a person knows which grid the prediction must match. A class
    /// whose OME-NGFF metadata puts it on another grid than the truth's (<paramref name="truthVoxelSize"/>,
    /// <paramref name="truthOffsetNm"/>, where known) is refused rather than scored misaligned.
    /// </summary>
    public static IReadOnlyDictionary<string, ClassPrediction> Read(
        string groupPath,
        IReadOnlyList<string> classNames,
        Shape3 expectedShape,
        string truthDescription,
        VoxelSize? truthVoxelSize = null,
        IReadOnlyList<double>? truthOffsetNm = null)
    {
        ArgumentNullException.ThrowIfNull(groupPath);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(truthDescription);
        if (!Directory.Exists(groupPath))
        {
            throw new ZarrFormatException(groupPath, ZarrGroup.GroupFileName, "is missing: the prediction folder does not exist",
                "point at a Zarr v2 group that holds one array per class (e.g. <prediction>.zarr/mito)");
        }

        var predictions = new Dictionary<string, ClassPrediction>(StringComparer.Ordinal);
        foreach (string className in classNames)
        {
            ClassArrayLocator.Located located = ClassArrayLocator.Find(groupPath, className)
                ?? throw MissingClass(groupPath, className, truthDescription);
            RequireTruthGrid(located, truthVoxelSize, truthOffsetNm, truthDescription);
            predictions[className] = ReadClass(located, expectedShape, truthDescription);
        }

        return predictions;
    }

    /// <summary>
    /// The challenge resamples a prediction whose voxel size or offset differs from the truth's; hd refuses it with
    /// both grids, since a prediction scored on the wrong grid gives numbers that mean nothing. Offsets agree within
    /// a hundredth of a voxel.
    /// </summary>
    private static void RequireTruthGrid(ClassArrayLocator.Located located, VoxelSize? truthVoxelSize, IReadOnlyList<double>? truthOffsetNm, string truthDescription)
    {
        var voxelDiffers = located.VoxelSize is { } voxel && truthVoxelSize is { } truthVoxel
            && voxel.ToArray().Zip(truthVoxel.ToArray()).Any(p => Math.Abs(p.First - p.Second) > 1e-6 * p.Second);
        var offsetDiffers = located.OffsetNm is { } offset && truthOffsetNm is { Count: 3 } truthOffset && (located.VoxelSize ?? truthVoxelSize) is { } spacing
            && offset.Zip(truthOffset, (a, b) => Math.Abs(a - b)).Zip(spacing.ToArray()).Any(p => p.First > 0.01 * p.Second);
        if (!voxelDiffers && !offsetDiffers)
        {
            return;
        }

        var theirs = $"voxel size {located.VoxelSize?.ToString() ?? "unrecorded"} at offset [{string.Join(", ", (located.OffsetNm ?? []).Select(v => v.ToString("G6", CultureInfo.InvariantCulture)))}] nm";
        var truths = $"voxel size {truthVoxelSize?.ToString() ?? "unrecorded"} at offset [{string.Join(", ", (truthOffsetNm ?? []).Select(v => v.ToString("G6", CultureInfo.InvariantCulture)))}] nm";
        throw new ZarrFormatException(located.Array.MetadataPath, "multiscales",
            $"puts class '{located.ClassName}' on another grid ({theirs}) than the truth ({truthDescription}: {truths})",
            "resample the prediction onto the truth's grid (nearest neighbour for labels) and record that grid, or write it on the truth crop's voxels to begin with");
    }

    private static ZarrFormatException MissingClass(string groupPath, string className, string truthDescription)
    {
        IReadOnlyList<string> present = ClassArrayLocator.ListClasses(groupPath);
        return new ZarrFormatException(Path.Combine(groupPath, className), "array",
            $"is missing: class '{className}' is annotated in the truth ({truthDescription}) but the prediction has no array for it " +
            $"(looked for {ClassArrayLocator.Places(groupPath, className)}; the prediction holds: {(present.Count == 0 ? "no class arrays" : string.Join(", ", present))})",
            "write the class's prediction as an array named after the class, or leave the class out of the classes to score");
    }

    private static ClassPrediction ReadClass(ClassArrayLocator.Located located, Shape3 expectedShape, string truthDescription)
    {
        ZarrArray array = located.Array;
        string className = located.ClassName;
        if (array.Rank != 3 || array.Shape[0] != expectedShape.Z || array.Shape[1] != expectedShape.Y || array.Shape[2] != expectedShape.X)
        {
            throw new ZarrFormatException(array.MetadataPath, "shape",
                $"is [{string.Join(", ", array.Shape.Select(s => s.ToString(CultureInfo.InvariantCulture)))}] for class '{className}' " +
                $"but the truth ({truthDescription}) is [{expectedShape.Z}, {expectedShape.Y}, {expectedShape.X}] (z, y, x)",
                "write the prediction on the truth crop's voxel grid: same (z, y, x) shape, cut or resampled to the crop");
        }

        if (array.DataType.Kind == ZarrElementKind.FloatingPoint)
        {
            throw new ZarrFormatException(array.MetadataPath, "dtype",
                $"is {array.DataType} for class '{className}', a probability or distance map rather than a segmentation",
                "threshold it first and store a mask (uint8 0/1) or instance ids (unsigned integers, 0 background)");
        }

        Shape3 shape = expectedShape;
        if (array.DataType.Size == 1)
        {
            byte[] values = ReadValues<byte>(array, className);
            if (IsMask(values))
            {
                return new ClassPrediction(new Volume<byte>(shape, ToMask(values)));
            }

            return Instances(shape, Array.ConvertAll(values, v => (uint)v));
        }

        uint[] ids = ReadValues<uint>(array, className);
        return IsMask(ids) ? new ClassPrediction(new Volume<byte>(shape, ToMask(ids))) : Instances(shape, ids);
    }

    private static T[] ReadValues<T>(ZarrArray array, string className)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        try
        {
            return array.Read<T>();
        }
        catch (ZarrValueOutOfRangeException e)
        {
            throw new ZarrFormatException(e.FilePath ?? array.MetadataPath, "dtype",
                $"is {array.DataType} and class '{className}' holds a value outside 0..{uint.MaxValue} (negative, or an instance id too large for uint32)",
                "store masks as 0/1 and instance ids from 1 to 4294967295, 0 for background", e);
        }
    }

    private static ClassPrediction Instances(Shape3 shape, uint[] ids) =>
        new(new Volume<byte>(shape, ToMask(ids)), new Volume<uint>(shape, ids));

    /// <summary>At most one distinct nonzero value: a mask, whatever value it uses for "present".</summary>
    private static bool IsMask<T>(T[] values)
        where T : unmanaged, IEquatable<T>
    {
        T zero = default;
        T? seen = null;
        foreach (T v in values)
        {
            if (v.Equals(zero))
            {
                continue;
            }

            if (seen is null)
            {
                seen = v;
            }
            else if (!v.Equals(seen.Value))
            {
                return false;
            }
        }

        return true;
    }

    private static byte[] ToMask<T>(T[] values)
        where T : unmanaged, IEquatable<T>
    {
        T zero = default;
        var mask = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            mask[i] = values[i].Equals(zero) ? (byte)0 : (byte)1;
        }

        return mask;
    }
}
