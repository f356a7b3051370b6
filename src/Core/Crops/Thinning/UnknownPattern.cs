namespace HotDistance.Core.Crops.Thinning;

/// <summary>How the voxels a thinned crop no longer annotates are laid out.</summary>
public enum UnknownPattern
{
    /// <summary>Whole slabs across the crop's longest axis, as an annotator who skipped sections leaves them.</summary>
    Slabs,

    /// <summary>Cubes scattered over the crop, as an annotator who painted patches leaves them.</summary>
    Blocks,
}
