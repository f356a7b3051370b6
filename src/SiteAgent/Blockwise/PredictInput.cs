using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;

namespace HotDistance.SiteAgent.Blockwise;

/// <summary>
/// The raw volume <c>hd predict</c> (or a site, for each of its volumes) segments, read block by block
/// (<see cref="RawSource"/>, scaled to [0, 1] by its stored type as everywhere, see <see cref="RawIntensity"/>), with
/// the voxel grid it lies on (null voxel size when the input does not record one) and the voxel
/// <see cref="RegionStart"/> of the region of interest in the input. <see cref="ArrayPath"/> is the absolute path of
/// the Zarr array read (null for a crop read into memory), which predictors on other machines open for a distributed job.
/// </summary>
public sealed record PredictInput(RawSource Raw, VoxelSize? VoxelSize, double[] OffsetNm, string Description, int[] RegionStart, string? ArrayPath)
{
    /// <summary>
    /// Opens <paramref name="path"/>: a CellMap dataset (a crop's raw, chosen with <paramref name="cropName"/>), an
    /// OME-Zarr multiscale raw group (the level at <paramref name="modelVoxelSize"/>, else s0), or a plain 3-D array.
    /// Nothing but the metadata is read here (a crop excepted, which is small). <paramref name="chooseCrop"/> picks
    /// the crop of a CellMap path (the path and <paramref name="cropName"/> in, the dataset and crop out);
    /// <paramref name="field"/> names the option or setting the path came from in messages.
    /// </summary>
    public static PredictInput Read(
        string path, string? cropName, VoxelSize? givenVoxelSize, VoxelSize modelVoxelSize,
        Func<string, string?, (string Dataset, string Crop)> chooseCrop, string field = "--input")
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(chooseCrop);
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"{field} {path} does not exist; point at a CellMap dataset (<dataset>.zarr), an OME-Zarr raw group or a Zarr array");
        }

        if (CellMapLayout.SplitCropPath(path).Crop is not null || CellMapCropReader.ListCrops(path).Count > 0)
        {
            (path, var chosen) = chooseCrop(path, cropName);
            var crop = CellMapCropReader.Read(path, chosen);
            return new PredictInput(RawSource.FromVolume(crop.Raw, crop.RawMaximum), givenVoxelSize ?? crop.VoxelSize, crop.OffsetNm, $"{path} {chosen}", [0, 0, 0], null);
        }

        if (cropName is not null)
        {
            throw new ArgumentException($"--crop {cropName}: {field} {path} is not a CellMap dataset with crops; leave out --crop to segment the whole array");
        }

        if (ZarrArray.Exists(path))
        {
            return FromArray(path, givenVoxelSize);
        }

        var group = OmeNgff.HasMultiscale(path) ? path : CellMapLayout.FindRawGroup(path);
        if (group is null)
        {
            throw new ArgumentException(
                $"{field} {path} is neither a CellMap dataset with crops, an OME-Zarr multiscale group, nor a Zarr array (.zarray); " +
                "point at <dataset>.zarr, <dataset>.zarr/recon-1/em/fibsem-uint8 or its s0 array");
        }

        var multiscale = OmeNgff.ReadMultiscale(group);
        var level = multiscale.Levels.FirstOrDefault(l => l.ScaleNm.Count == 3 && SameVoxelSize(l.VoxelSize, modelVoxelSize)) ?? multiscale.Levels[0];
        var array = Path.GetFullPath(Path.Combine(group, level.Path));
        return new PredictInput(RawSource.FromArray(ZarrArray.Open(array)), givenVoxelSize ?? level.VoxelSize, level.OffsetNm, $"{group} {level.Path}", [0, 0, 0], array);
    }

    public static bool SameVoxelSize(VoxelSize a, VoxelSize b) =>
        Math.Abs(a.Z - b.Z) <= 1e-3 * b.Z && Math.Abs(a.Y - b.Y) <= 1e-3 * b.Y && Math.Abs(a.X - b.X) <= 1e-3 * b.X;

    /// <summary>Only the region of interest, on the grid <paramref name="voxelSize"/> (the input's, or the model's when it records none).</summary>
    public PredictInput Within(RegionOfInterest roi, VoxelSize voxelSize)
    {
        ArgumentNullException.ThrowIfNull(roi);
        var (start, shape) = roi.Voxels(Raw.Shape, voxelSize, OffsetNm);
        double[] offset = [.. Enumerable.Range(0, 3).Select(a => OffsetNm[a] + (start[a] * voxelSize[a]))];
        return this with { Raw = Raw.Region(start, shape), OffsetNm = offset, RegionStart = start };
    }

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

        return new PredictInput(RawSource.FromArray(array), voxelSize, offset, path, [0, 0, 0], full);
    }
}
