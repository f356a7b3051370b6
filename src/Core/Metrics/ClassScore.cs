namespace HotDistance.Core.Metrics;

/// <summary>
/// One class pooled over every crop that annotates it: voxel counts and instance tallies are summed first and
/// the ratios taken once (so a big crop weighs more than a small one).
/// </summary>
public sealed record ClassScore(string ClassName, ClassKind Kind, int CropCount, ConfusionCounts Voxels, InstanceCounts? Instances)
{
    public double IoU => Voxels.IoU;

    public double Dice => Voxels.Dice;

    public double Precision => Voxels.Precision;

    public double Recall => Voxels.Recall;

    public double? F1 => Instances?.F1;

    public double? MeanHausdorffNm => Instances?.MeanMatchedHausdorffNm;

    public double? MeanNormalizedHausdorff => Instances?.MeanNormalizedHausdorff;

    public double? Combined => Instances?.Combined;

    /// <summary>What the overall score uses: IoU for semantic classes, combined for instance classes.</summary>
    public double Score => Kind == ClassKind.Instance && Instances is { } counts ? counts.Combined : Voxels.IoU;
}
