namespace HotDistance.SiteAgent.Blockwise;

/// <summary>
/// What a blockwise segmentation did: how many blocks it computed and how many it found done, the voxels inside
/// each class, the instances per instance class, and the time each pass took.
/// </summary>
public sealed record BlockwiseResult(
    BlockwiseJob Job,
    int BlocksComputed,
    int BlocksSkipped,
    IReadOnlyDictionary<string, long> Inside,
    IReadOnlyDictionary<string, int> Instances,
    TimeSpan Predicting,
    TimeSpan Stitching,
    TimeSpan Pyramid);
