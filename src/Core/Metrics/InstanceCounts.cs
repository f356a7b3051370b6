namespace HotDistance.Core.Metrics;

/// <summary>
/// Instance tallies of one class, summable across crops as the challenge pools them. Every truth instance adds
/// one Hausdorff entry (its matched distance, or the crop's cap when unmatched) and so does every unmatched
/// prediction (the cap); entries are normalised per crop as 1.01^(-d / |voxel size|) before summing.
/// </summary>
public readonly record struct InstanceCounts(
    long TruePositives,
    long FalsePositives,
    long FalseNegatives,
    double NormalizedHausdorffSum,
    long HausdorffCount,
    double MatchedHausdorffSumNm)
{
    /// <summary>No truth and no prediction anywhere: the challenge scores F1, Hausdorff and combined as 1.</summary>
    public bool IsEmpty => 2 * TruePositives + FalsePositives + FalseNegatives == 0 && HausdorffCount == 0;

    public double F1
    {
        get
        {
            if (IsEmpty)
            {
                return 1.0;
            }

            var denominator = 2 * TruePositives + FalsePositives + FalseNegatives;
            return denominator == 0 ? 0.0 : 2.0 * TruePositives / denominator;
        }
    }

    /// <summary>Mean normalised Hausdorff over all entries (matched, missed truth, unmatched predictions).</summary>
    public double MeanNormalizedHausdorff =>
        IsEmpty ? 1.0 : HausdorffCount == 0 ? 0.0 : NormalizedHausdorffSum / HausdorffCount;

    /// <summary>Mean Hausdorff distance in nm over matched pairs only; null without matches. Informational, not scored.</summary>
    public double? MeanMatchedHausdorffNm => TruePositives == 0 ? null : MatchedHausdorffSumNm / TruePositives;

    /// <summary>sqrt(F1 * mean normalised Hausdorff), the challenge's per-class instance score.</summary>
    public double Combined => IsEmpty ? 1.0 : Math.Sqrt(F1 * MeanNormalizedHausdorff);

    public static InstanceCounts operator +(InstanceCounts a, InstanceCounts b) =>
        new(
            a.TruePositives + b.TruePositives,
            a.FalsePositives + b.FalsePositives,
            a.FalseNegatives + b.FalseNegatives,
            a.NormalizedHausdorffSum + b.NormalizedHausdorffSum,
            a.HausdorffCount + b.HausdorffCount,
            a.MatchedHausdorffSumNm + b.MatchedHausdorffSumNm);

    public static InstanceCounts Add(InstanceCounts left, InstanceCounts right) => left + right;
}
