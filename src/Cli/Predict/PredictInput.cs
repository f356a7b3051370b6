using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;

namespace HotDistance.Cli.Predict;

/// <summary>
/// The raw volume <c>hd predict</c> segments, scaled to [0, 1] by its stored type as everywhere (see
/// <see cref="RawIntensity"/>; <paramref name="RawMaximum"/> is that type's maximum, 1 for float input), with the
/// voxel grid it lies on (null voxel size when the input does not record one).
/// </summary>
public sealed record PredictInput(Volume<float> Raw, double RawMaximum, VoxelSize? VoxelSize, double[] OffsetNm, string Description)
{
    /// <summary>
    /// Reads <paramref name="path"/>: a CellMap dataset (a crop's raw, chosen with <paramref name="cropName"/>), an
    /// OME-Zarr multiscale raw group (the level at <paramref name="modelVoxelSize"/>, else s0), or a plain 3-D array.
    /// </summary>
    public static PredictInput Read(string path, string? cropName, VoxelSize? givenVoxelSize, VoxelSize modelVoxelSize)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"--input {path} does not exist; point at a CellMap dataset (<dataset>.zarr), an OME-Zarr raw group or a Zarr array");
        }

        if (CellMapLayout.SplitCropPath(path).Crop is not null || CellMapCropReader.ListCrops(path).Count > 0)
        {
            (path, var chosen) = DatasetCrop.Resolve(path, cropName, "--input");
            var crop = CellMapCropReader.Read(path, chosen);
            return new PredictInput(crop.Raw, crop.RawMaximum, givenVoxelSize ?? crop.VoxelSize, crop.OffsetNm, $"{path} {chosen}");
        }

        if (cropName is not null)
        {
            throw new ArgumentException($"--crop {cropName}: --input {path} is not a CellMap dataset with crops; leave out --crop to segment the whole array");
        }

        if (ZarrArray.Exists(path))
        {
            return FromArray(path, givenVoxelSize);
        }

        var group = OmeNgff.HasMultiscale(path) ? path : CellMapLayout.FindRawGroup(path);
        if (group is null)
        {
            throw new ArgumentException(
                $"--input {path} is neither a CellMap dataset with crops, an OME-Zarr multiscale group, nor a Zarr array (.zarray); " +
                "point at <dataset>.zarr, <dataset>.zarr/recon-1/em/fibsem-uint8 or its s0 array");
        }

        var multiscale = OmeNgff.ReadMultiscale(group);
        var level = multiscale.Levels.FirstOrDefault(l => l.ScaleNm.Count == 3 && SameVoxelSize(l.VoxelSize, modelVoxelSize)) ?? multiscale.Levels[0];
        var (raw, rawMaximum) = ReadScaled(ZarrArray.Open(Path.Combine(group, level.Path)));
        return new PredictInput(raw, rawMaximum, givenVoxelSize ?? level.VoxelSize, level.OffsetNm, $"{group} {level.Path}");
    }

    public static bool SameVoxelSize(VoxelSize a, VoxelSize b) =>
        Math.Abs(a.Z - b.Z) <= 1e-3 * b.Z && Math.Abs(a.Y - b.Y) <= 1e-3 * b.Y && Math.Abs(a.X - b.X) <= 1e-3 * b.X;

    /// <summary>A bare array: its grid comes from the parent group's multiscales when that lists it.</summary>
    private static PredictInput FromArray(string path, VoxelSize? givenVoxelSize)
    {
        var array = ZarrArray.Open(path);
        var full = Path.GetFullPath(Path.TrimEndingDirectorySeparator(path));
        var parent = Path.GetDirectoryName(full)!;
        VoxelSize? voxelSize = givenVoxelSize;
        double[] offset = [0, 0, 0];
        if (OmeNgff.HasMultiscale(parent)
            && OmeNgff.ReadMultiscale(parent).Level(Path.GetFileName(full)) is { ScaleNm.Count: 3 } level)
        {
            voxelSize ??= level.VoxelSize;
            offset = level.OffsetNm;
        }

        var (raw, rawMaximum) = ReadScaled(array);
        return new PredictInput(raw, rawMaximum, voxelSize, offset, path);
    }

    private static (Volume<float> Raw, double Maximum) ReadScaled(ZarrArray array)
    {
        if (array.Rank != 3)
        {
            throw new ZarrFormatException(array.MetadataPath, "shape", $"has {array.Rank} dimensions", "segment a 3-D (z, y, x) raw array");
        }

        if (array.DataType.Kind == ZarrElementKind.FloatingPoint)
        {
            return (array.Read3D<float>(), 1); // already intensities in [0, 1]
        }

        return RawArray.TryRead(array, [0, 0, 0], array.Shape3)
            ?? throw new ZarrFormatException(array.MetadataPath, "dtype", $"is {array.DataType}",
                "give raw as uint8, uint16 (scaled to [0, 1] as in training) or float in [0, 1]");
    }
}
