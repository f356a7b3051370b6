using HotDistance.Core.Crops;
using HotDistance.Core.Volumes;

namespace HotDistance.Core.Metrics;

/// <summary>
/// Voxel confusion counts of one class, summable across crops (the challenge pools counts, it does not average
/// per-crop scores). Ratios whose denominator is zero are 1: with nothing to find and nothing claimed there is
/// nothing wrong (the challenge scores IoU that way; Dice, precision and recall follow the same rule).
/// </summary>
public readonly record struct ConfusionCounts(long TruePositives, long FalsePositives, long FalseNegatives, long TrueNegatives)
{
    public long Total => TruePositives + FalsePositives + FalseNegatives + TrueNegatives;

    public double IoU => Ratio(TruePositives, TruePositives + FalsePositives + FalseNegatives);

    public double Dice => Ratio(2 * TruePositives, 2 * TruePositives + FalsePositives + FalseNegatives);

    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);

    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    public static ConfusionCounts operator +(ConfusionCounts a, ConfusionCounts b) =>
        new(
            a.TruePositives + b.TruePositives,
            a.FalsePositives + b.FalsePositives,
            a.FalseNegatives + b.FalseNegatives,
            a.TrueNegatives + b.TrueNegatives);

    public static ConfusionCounts Add(ConfusionCounts left, ConfusionCounts right) => left + right;

    /// <summary>
    /// Counts a prediction (nonzero = present) against a CellMap truth mask (<see cref="LabelValues"/>: 0 absent,
    /// 255 unknown, anything else present). Voxels whose truth is unknown are not counted at all.
    /// </summary>
    public static ConfusionCounts FromMasks(Volume<byte> truth, Volume<byte> prediction)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(prediction);
        if (truth.Shape != prediction.Shape)
        {
            throw new ArgumentException($"truth is {truth.Shape} but prediction is {prediction.Shape}; they must match", nameof(prediction));
        }

        var t = truth.Data;
        var p = prediction.Data;
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (var i = 0; i < t.Length; i++)
        {
            var truthValue = t[i];
            if (truthValue == LabelValues.Unknown)
            {
                continue;
            }

            var predicted = p[i] != 0;
            if (truthValue != LabelValues.Absent)
            {
                if (predicted)
                {
                    tp++;
                }
                else
                {
                    fn++;
                }
            }
            else if (predicted)
            {
                fp++;
            }
            else
            {
                tn++;
            }
        }

        return new ConfusionCounts(tp, fp, fn, tn);
    }

    private static double Ratio(long numerator, long denominator) =>
        denominator == 0 ? 1.0 : (double)numerator / denominator;
}
