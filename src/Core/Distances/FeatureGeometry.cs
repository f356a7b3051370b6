namespace HotDistance.Core.Distances;

/// <summary>What a feature voxel stands for when measuring the distance to it.</summary>
public enum FeatureGeometry
{
    /// <summary>The voxel's centre point: the classic EDT between voxel centres.</summary>
    Centres,

    /// <summary>
    /// The voxel's closed cube (centre +- half a voxel on every axis): the distance from a voxel centre to the
    /// union of the feature cubes, so a boundary between two voxels lies on their shared face.
    /// </summary>
    Cubes,
}
