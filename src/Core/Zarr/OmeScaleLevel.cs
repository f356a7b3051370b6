using HotDistance.Core.Volumes;

namespace HotDistance.Core.Zarr;

/// <summary>
/// One resolution level of an OME-NGFF multiscale image: the array's path relative to the group and its
/// coordinate transform in nanometres (physical = index * scale + translation), per axis in array order.
/// </summary>
public sealed record OmeScaleLevel(string Path, IReadOnlyList<double> ScaleNm, IReadOnlyList<double> TranslationNm)
{
    /// <summary>The voxel size of a 3-D (z, y, x) level.</summary>
    public VoxelSize VoxelSize => ScaleNm.Count == 3
        ? VoxelSize.FromArray(ScaleNm)
        : throw new InvalidOperationException($"level '{Path}' has {ScaleNm.Count} axes; a voxel size needs 3 (z, y, x)");

    /// <summary>The physical position (nm) of voxel (0, 0, 0) of a 3-D level.</summary>
    public double[] OffsetNm => TranslationNm.Count == 3
        ? [.. TranslationNm]
        : throw new InvalidOperationException($"level '{Path}' has {TranslationNm.Count} axes; an offset needs 3 (z, y, x)");

    /// <summary>A 3-D level from a voxel size and offset.</summary>
    public static OmeScaleLevel Create(string path, VoxelSize voxelSize, IReadOnlyList<double> offsetNm) =>
        new(path, voxelSize.ToArray(), [.. offsetNm]);
}
