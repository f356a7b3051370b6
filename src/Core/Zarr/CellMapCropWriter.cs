using System.Globalization;
using HotDistance.Core.Crops;
using HotDistance.Core.Volumes;

namespace HotDistance.Core.Zarr;

/// <summary>
/// Writes a crop in the CellMap layout that <see cref="CellMapCropReader"/> reads: raw as uint8 or uint16 (as it was read, see <see cref="Crop.RawMaximum"/>) on the crop's grid
/// (or into the dataset's existing raw), and one group per class with an s0 array (uint8 0/1/255 for binary
/// classes, uint32 ids for instance classes), all with OME-NGFF 0.4 multiscales metadata. The crop's label
/// group is built aside and renamed into place, so a reader never sees a mix of an old and a new crop (between
/// the two renames of a rewrite the crop is briefly absent).
/// </summary>
public static class CellMapCropWriter
{
    /// <summary>Writes <paramref name="crop"/> as <paramref name="cropName"/>, replacing a crop of that name.</summary>
    /// <param name="chunkSize">Edge of the cubic chunks of new arrays (clipped to the crop shape).</param>
    public static void Write(Crop crop, string datasetZarrPath, string cropName, int chunkSize = 64)
    {
        ArgumentNullException.ThrowIfNull(crop);
        ArgumentNullException.ThrowIfNull(datasetZarrPath);
        ArgumentNullException.ThrowIfNull(cropName);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        Validate(crop, datasetZarrPath, cropName);

        string recon = Path.Combine(datasetZarrPath, CellMapLayout.ReconstructionGroup);
        ZarrGroup.CreateAll(datasetZarrPath, CellMapLayout.EmPath(datasetZarrPath));
        ZarrGroup.CreateAll(recon, CellMapLayout.GroundTruthPath(datasetZarrPath));

        WriteRaw(crop, datasetZarrPath, chunkSize);
        WriteLabels(crop, datasetZarrPath, cropName, chunkSize);
    }

    private static void Validate(Crop crop, string datasetZarrPath, string cropName)
    {
        if (!IsPlainName(cropName))
        {
            throw new ArgumentException($"crop name '{cropName}' must be a plain directory name such as \"crop3\"", nameof(cropName));
        }

        if (!crop.VoxelSize.IsValid)
        {
            throw new ZarrFormatException(datasetZarrPath, "VoxelSize", $"of crop '{crop.Name}' is {crop.VoxelSize} (missing or not positive)",
                "set the crop's voxel size in nm before writing it");
        }

        if (crop.OffsetNm is not { Length: 3 } || !crop.OffsetNm.All(double.IsFinite))
        {
            throw new ZarrFormatException(datasetZarrPath, "OffsetNm", $"of crop '{crop.Name}' is not three finite numbers",
                "set the crop's offset (z, y, x) in nm");
        }

        if (crop.Labels.Count == 0)
        {
            throw new ZarrFormatException(datasetZarrPath, "Labels", $"of crop '{crop.Name}' are empty",
                "annotate at least one class; a crop without classes cannot be read back");
        }

        foreach ((string className, ClassLabels labels) in crop.Labels)
        {
            if (!IsPlainName(className) || className == CellMapLayout.CombinedLabelsGroup)
            {
                throw new ZarrFormatException(datasetZarrPath, "Labels", $"of crop '{crop.Name}' name a class '{className}'",
                    $"use plain class names (not '{CellMapLayout.CombinedLabelsGroup}', no path separators)");
            }

            if (labels.Mask.Shape != crop.Shape || (labels.Instances is { } ids && ids.Shape != crop.Shape))
            {
                throw new ZarrFormatException(datasetZarrPath, "Labels", $"of class '{className}' are not on the crop's {crop.Shape} grid",
                    "give every class mask and instance volume the raw's shape");
            }

            if (labels.Instances is not null && Array.IndexOf(labels.Mask.Data, LabelValues.Unknown) >= 0)
            {
                throw new ZarrFormatException(datasetZarrPath, "Labels",
                    $"of instance class '{className}' mark voxels unknown (255), which an instance-id array cannot store",
                    "drop the unknown marks (or store the class as a binary mask without instance ids)");
            }
        }
    }

    private static void WriteRaw(Crop crop, string datasetZarrPath, int chunkSize)
    {
        string? existing = CellMapLayout.FindRawGroup(datasetZarrPath);
        if (existing is not null)
        {
            WriteIntoExistingRaw(crop, existing);
            return;
        }

        // Raw read from uint16 stays uint16: 12-bit data squeezed into uint8 would keep 17 grey levels.
        bool wide = crop.RawMaximum > RawIntensity.UInt8Maximum;
        string group = wide ? CellMapLayout.RawUInt16Group : CellMapLayout.RawUInt8Group;
        string final = Path.Combine(CellMapLayout.EmPath(datasetZarrPath), group);
        string staging = StagingPath(final, "tmp");
        try
        {
            ZarrGroup.Create(staging);
            string arrayPath = Path.Combine(staging, "s0");
            if (wide)
            {
                ZarrArray.Create<ushort>(arrayPath, ToLongs(crop.Shape), Chunks(crop.Shape, chunkSize)).Write<ushort>(RawIntensity.ToUInt16(crop.Raw.Data));
            }
            else
            {
                ZarrArray.Create<byte>(arrayPath, ToLongs(crop.Shape), Chunks(crop.Shape, chunkSize)).Write<byte>(RawIntensity.ToUInt8(crop.Raw.Data));
            }

            OmeNgff.WriteMultiscale(staging, new OmeMultiscale(group, OmeAxis.SpatialZyx,
                [OmeScaleLevel.Create("s0", crop.VoxelSize, crop.OffsetNm)]));
            Directory.Move(staging, final);
        }
        catch
        {
            DeleteQuietly(staging);
            throw;
        }
    }

    /// <summary>Another crop already created the raw: write this crop's raw into the level on its grid.</summary>
    private static void WriteIntoExistingRaw(Crop crop, string rawGroup)
    {
        OmeMultiscale multiscale = OmeNgff.ReadMultiscale(rawGroup);
        string attributes = Path.Combine(rawGroup, ZarrGroup.AttributesFileName);
        double[] scale = crop.VoxelSize.ToArray();
        OmeScaleLevel level = multiscale.Levels.FirstOrDefault(l => CellMapCropReader.SameScale(l.ScaleNm, scale))
            ?? throw new ZarrFormatException(attributes, "multiscales[0].datasets",
                $"has no level at the crop's voxel size {CellMapCropReader.Format(scale)} nm",
                "write this crop to its own dataset, or add a raw level at its voxel size");
        ZarrArray array = ZarrArray.Open(Path.Combine(rawGroup, level.Path));
        var offset = new long[3];
        for (int d = 0; d < 3; d++)
        {
            double voxels = (crop.OffsetNm[d] - level.TranslationNm[d]) / scale[d];
            offset[d] = (long)Math.Round(voxels);
            if (Math.Abs(voxels - offset[d]) > 1e-3 || offset[d] < 0 || offset[d] + crop.Shape[d] > array.Shape[d])
            {
                throw new ZarrFormatException(array.MetadataPath, "shape",
                    $"is [{string.Join(", ", array.Shape)}] at {CellMapCropReader.Format(level.TranslationNm)} nm; crop '{crop.Name}' at " +
                    $"{CellMapCropReader.Format(crop.OffsetNm)} nm with shape {crop.Shape} is off its grid or outside its extent",
                    "write this crop to its own dataset, or give it an offset inside the existing raw");
            }
        }

        switch (array.DataType)
        {
            case { Kind: ZarrElementKind.UnsignedInteger, Size: 1 }:
                array.WriteRegion3D(offset[0], offset[1], offset[2], new Volume<byte>(crop.Shape, RawIntensity.ToUInt8(crop.Raw.Data)));
                break;
            case { Kind: ZarrElementKind.UnsignedInteger, Size: 2 }:
                array.WriteRegion3D(offset[0], offset[1], offset[2], new Volume<ushort>(crop.Shape, RawIntensity.ToUInt16(crop.Raw.Data)));
                break;
            default:
                throw new ZarrFormatException(array.MetadataPath, "dtype", $"is {array.DataType}", "store raw as uint8 or uint16");
        }
    }

    private static void WriteLabels(Crop crop, string datasetZarrPath, string cropName, int chunkSize)
    {
        string final = CellMapLayout.CropPath(datasetZarrPath, cropName);
        string staging = StagingPath(final, "tmp");
        string retired = StagingPath(final, "old");
        try
        {
            ZarrGroup.Create(staging);
            foreach ((string className, ClassLabels labels) in crop.Labels)
            {
                string classPath = Path.Combine(staging, className);
                ZarrGroup.Create(classPath);
                string arrayPath = Path.Combine(classPath, "s0");
                if (labels.Instances is { } ids)
                {
                    ZarrArray.Create<uint>(arrayPath, ToLongs(crop.Shape), Chunks(crop.Shape, chunkSize)).Write<uint>(ids.Data);
                }
                else
                {
                    ZarrArray.Create<byte>(arrayPath, ToLongs(crop.Shape), Chunks(crop.Shape, chunkSize)).Write<byte>(labels.Mask.Data);
                }

                OmeNgff.WriteMultiscale(classPath, new OmeMultiscale(className, OmeAxis.SpatialZyx,
                    [OmeScaleLevel.Create("s0", crop.VoxelSize, crop.OffsetNm)]));
            }

            if (Directory.Exists(final))
            {
                Directory.Move(final, retired);
            }

            Directory.Move(staging, final);
        }
        catch
        {
            DeleteQuietly(staging);
            if (Directory.Exists(retired) && !Directory.Exists(final))
            {
                Directory.Move(retired, final);
            }

            throw;
        }

        DeleteQuietly(retired);
    }

    private static long[] ToLongs(Shape3 shape) => [shape.Z, shape.Y, shape.X];

    private static int[] Chunks(Shape3 shape, int chunkSize) =>
        [Math.Max(1, Math.Min(chunkSize, shape.Z)), Math.Max(1, Math.Min(chunkSize, shape.Y)), Math.Max(1, Math.Min(chunkSize, shape.X))];

    private static bool IsPlainName(string name) =>
        name.Length > 0 && !name.StartsWith('.') && name.IndexOfAny(['/', '\\']) < 0 && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0;

    /// <summary>A hidden sibling of <paramref name="path"/>; readers skip names starting with '.'.</summary>
    private static string StagingPath(string path, string purpose) =>
        Path.Combine(Path.GetDirectoryName(path)!, string.Create(CultureInfo.InvariantCulture, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.{purpose}"));

    private static void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover hidden directory is harmless: readers skip dot-prefixed names.
        }
    }
}
