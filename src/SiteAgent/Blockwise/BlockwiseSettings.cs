using HotDistance.Learning.Inference;

namespace HotDistance.SiteAgent.Blockwise;

/// <summary>How a blockwise segmentation cuts its volume.</summary>
public sealed record BlockwiseSettings
{
    /// <summary>
    /// Voxels per block edge asked for; rounded up to a multiple of both the output chunk and the tile core (so a
    /// block is whole chunks and whole tiles), and cut to the volume.
    /// </summary>
    public int BlockEdge { get; init; } = 192;

    /// <summary>Voxels per output chunk edge.</summary>
    public int ChunkEdge { get; init; } = 64;

    public TilingOptions Tiling { get; init; } = TilingOptions.Default;

    public RawOutputKind RawOutput { get; init; } = RawOutputKind.None;

    public void Validate()
    {
        if (BlockEdge <= 0 || ChunkEdge <= 0)
        {
            throw new ArgumentException($"--block and the chunk edge must be positive voxel counts, got {BlockEdge} and {ChunkEdge}");
        }

        if (Tiling.CoreSize is not { Count: 3 } || Tiling.CoreSize.Any(s => s <= 0) || Tiling.BatchSize <= 0)
        {
            throw new ArgumentException($"--tile must be a positive voxel count, got [{string.Join(", ", Tiling.CoreSize ?? [])}]");
        }
    }
}
