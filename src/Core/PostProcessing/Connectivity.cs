namespace HotDistance.Core.PostProcessing;

/// <summary>Which voxels count as neighbours when growing regions.</summary>
public enum Connectivity
{
    /// <summary>Voxels sharing a face (6 neighbours).</summary>
    Faces6 = 6,

    /// <summary>Voxels sharing a face, an edge or a corner (26 neighbours); cc3d's and the challenge's default.</summary>
    Full26 = 26,
}
