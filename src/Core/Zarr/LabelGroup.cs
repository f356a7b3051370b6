using HotDistance.Core.Crops;
using HotDistance.Core.Volumes;

namespace HotDistance.Core.Zarr;

/// <summary>
/// Ground truth stored as a Zarr group of per-class arrays, without raw data: the labels of each class on one
/// voxel grid, and the voxel size when the group records it.
/// </summary>
/// <param name="Path">The group's folder.</param>
/// <param name="VoxelSize">From the classes' OME-NGFF metadata or the group's "voxel_size_nm" attribute; null when neither gives it.</param>
public sealed record LabelGroup(string Path, Shape3 Shape, VoxelSize? VoxelSize, IReadOnlyDictionary<string, ClassLabels> Labels);
