namespace HotDistance.Core.Metrics;

/// <summary>Instance evaluation of one class in one crop.</summary>
/// <param name="HausdorffCapNm">min over axes of (extent * voxel size / 2): distances are capped here and missed or extra instances count as this far.</param>
public sealed record InstanceEvaluation(
    int TruthCount,
    int PredictionCount,
    IReadOnlyList<InstanceMatch> Matches,
    double HausdorffCapNm,
    InstanceCounts Counts);
