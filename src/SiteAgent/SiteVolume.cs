using HotDistance.Learning.Inference;
using HotDistance.SiteAgent.Blockwise;

namespace HotDistance.SiteAgent;

/// <summary>
/// One of a site's own volumes (<c>site:volumes</c>), which the site segments with each champion it follows:
/// <c>&lt;Output&gt;/v&lt;N&gt;.zarr</c> per champion version, and <c>&lt;Output&gt;/current.json</c> naming the
/// champion's (<see cref="VolumeSegmentationPointer"/>).
/// </summary>
public sealed record SiteVolume
{
    /// <summary>The raw to segment, as <c>hd predict --input</c> takes it: an OME-Zarr raw group, a CellMap raw, a 3-D Zarr array, a crop group.</summary>
    public string Input { get; init; } = string.Empty;

    /// <summary>The folder that holds this volume's segmentations, one per champion version.</summary>
    public string Output { get; init; } = string.Empty;

    /// <summary>Only this region of the input (<see cref="RegionOfInterest.Syntax"/>); null for the whole input.</summary>
    public RegionOfInterest? Roi { get; init; }

    /// <summary>Voxels per block edge, as <c>hd predict --block</c>.</summary>
    public int Block { get; init; } = new BlockwiseSettings().BlockEdge;

    /// <summary>Voxels per tile edge, as <c>hd predict --tile</c>.</summary>
    public int Tile { get; init; } = TilingOptions.Default.CoreSize[0];

    /// <summary>How <c>hd predict</c> would cut this volume with the same options.</summary>
    public BlockwiseSettings Blockwise => new()
    {
        BlockEdge = Block,
        Tiling = TilingOptions.Default with { CoreSize = [Tile, Tile, Tile] },
    };

    /// <summary>The segmentation of this volume by champion <paramref name="version"/>.</summary>
    public string SegmentationFor(int version) =>
        Path.Combine(Output, "v" + version.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".zarr");

    /// <summary>The pointer to the champion's segmentation.</summary>
    public string PointerFile => Path.Combine(Output, SiteLayout.PointerFile);
}
