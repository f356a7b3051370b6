namespace HotDistance.Core.Targets;

/// <summary>How <see cref="TargetsZarrWriter"/> writes a targets group.</summary>
public sealed record TargetsZarrOptions
{
    /// <summary>Replace an earlier targets group (or an empty folder) at the output path; anything else is refused.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Spatial chunk edge in voxels; chunks are (1, edge, edge, edge), clipped to the crop.</summary>
    public int ChunkEdge { get; init; } = 64;

    /// <summary>Where the targets came from (e.g. "jrc_hela-2/crop1"), recorded in the group attributes.</summary>
    public string? Source { get; init; }

    /// <summary>Physical position (nm, z, y, x) of voxel (0, 0, 0), recorded so the targets can be overlaid on the raw.</summary>
    public IReadOnlyList<double>? OffsetNm { get; init; }
}
