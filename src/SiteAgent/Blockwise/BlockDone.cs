using HotDistance.Core.PostProcessing;

namespace HotDistance.SiteAgent.Blockwise;

/// <summary>
/// The record that block <see cref="Index"/> is done: written atomically as <c>.hd-blocks/done/&lt;index&gt;.json</c>
/// after every chunk of the block, so its presence means the block's output is complete and a rerun, or a
/// redelivered block message, skips it. It carries what later passes need without rereading the block: the number
/// of provisional instance ids per instance class (for the stitcher) and the voxels inside each class.
/// </summary>
public sealed record BlockDone(
    int Index,
    int[] Start,
    int[] Shape,
    IReadOnlyDictionary<string, BlockLabelCount> Instances,
    IReadOnlyDictionary<string, long> Inside,
    double Seconds);
