using HotDistance.Core.Blockwise;
using HotDistance.Core.Volumes;

namespace HotDistance.SiteAgent.Blockwise;

/// <summary>
/// What a blockwise segmentation computes, recorded as <c>.hd-blocks/job.json</c> in its output before any block is
/// done. A rerun (or another worker) continues the job only when it would compute the same thing; every field but
/// <see cref="IntensityWindow"/> (derived from the input, once) is compared. Shapes are (z, y, x) voxels.
/// </summary>
public sealed record BlockwiseJob
{
    public required string Input { get; init; }

    /// <summary>
    /// The absolute path of the Zarr array the region is read from, so a predictor on another machine (with the data
    /// mounted at the same place) opens the same input; null for an input read whole into memory (a CellMap crop).
    /// Not compared: <see cref="Input"/> and the region say what is segmented.
    /// </summary>
    public string? InputArray { get; init; }

    public required int[] RegionStart { get; init; }

    public required int[] Volume { get; init; }

    public required int[] Block { get; init; }

    public required int[] Chunk { get; init; }

    public required int[] TileCore { get; init; }

    public required int TileBatch { get; init; }

    public required string ModelSha256 { get; init; }

    public required string Variant { get; init; }

    /// <summary>The model's intensity normalisation and stored post-processing (checkpoint.json, beside the weights' hash).</summary>
    public required string ModelSettings { get; init; }

    public required IReadOnlyList<string> Classes { get; init; }

    public required IReadOnlyList<string> InstanceClasses { get; init; }

    public required double[] VoxelSizeNm { get; init; }

    public required double[] OffsetNm { get; init; }

    public required RawOutputKind RawOutput { get; init; }

    /// <summary>The intensity window (in [0, 1]-scaled raw) every block is normalised with.</summary>
    public double[] IntensityWindow { get; init; } = [0, 1];

    /// <summary>The job's blocks: <see cref="Volume"/> cut into <see cref="Block"/>s.</summary>
    public BlockPlan Plan() => new(Shape3.FromArray(Volume), Shape3.FromArray(Block));

    /// <summary>What <see cref="ModelSettings"/> records of a model: its intensity normalisation and stored post-processing.</summary>
    public static string ModelSettingsOf(HotDistance.Learning.Checkpoints.CheckpointMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return $"{metadata.Intensity}; {System.Text.Json.JsonSerializer.Serialize(metadata.PostProcessing)}";
    }

    /// <summary>The first field in which <paramref name="other"/> asks for something else, or null when it is the same job.</summary>
    public string? Difference(BlockwiseJob other)
    {
        ArgumentNullException.ThrowIfNull(other);
        static bool Same<T>(IEnumerable<T> a, IEnumerable<T> b) => a.SequenceEqual(b);
        return (Input != other.Input ? "input" : null)
            ?? (!Same(RegionStart, other.RegionStart) || !Same(Volume, other.Volume) ? "region" : null)
            ?? (!Same(Block, other.Block) || !Same(Chunk, other.Chunk) ? "block shape" : null)
            ?? (!Same(TileCore, other.TileCore) || TileBatch != other.TileBatch ? "tiling" : null)
            ?? (ModelSha256 != other.ModelSha256 || Variant != other.Variant ? "model" : null)
            ?? (ModelSettings != other.ModelSettings ? "model's thresholds or intensity normalisation" : null)
            ?? (!Same(Classes, other.Classes) || !Same(InstanceClasses, other.InstanceClasses) ? "classes" : null)
            ?? (!Same(VoxelSizeNm, other.VoxelSizeNm) || !Same(OffsetNm, other.OffsetNm) ? "voxel grid" : null)
            ?? (RawOutput != other.RawOutput ? "raw output" : null);
    }
}
