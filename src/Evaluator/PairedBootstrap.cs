using HotDistance.Core.Metrics;

namespace HotDistance.Evaluator;

/// <summary>
/// A percentile bootstrap over held-out crops of the difference in overall score between two models scored on
/// the same crops. Each resample draws crops with replacement, pools both models' per-crop counts over the drawn
/// crops exactly as the held-out scoring pools them, and takes the difference of the two overall scores; drawing
/// the same crops for both models (pairing) cancels the crop-to-crop difficulty both share. The draws depend only
/// on the seed and the number of crops, so every challenger of an evaluation sees the same resamples and a rerun
/// gives the same interval.
/// </summary>
public static class PairedBootstrap
{
    public static BootstrapInterval Difference(ScoreReport model, ScoreReport baseline, int resamples, int seed, double confidenceLevel = 0.95)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(resamples);
        if (confidenceLevel is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "the confidence level must lie strictly between 0 and 1");
        }

        var crops = model.Crops.Select(c => c.CropName)
            .Concat(baseline.Crops.Select(c => c.CropName))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var point = model.Overall - baseline.Overall;
        if (crops.Count == 0)
        {
            return new BootstrapInterval(point, point, point, resamples);
        }

        var modelCounts = PerCrop(model, crops);
        var baselineCounts = PerCrop(baseline, crops);
        var random = new Random(seed);
        var draw = new int[crops.Count];
        var differences = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < draw.Length; i++)
            {
                draw[i] = random.Next(crops.Count);
            }

            differences[r] = Overall(modelCounts, draw) - Overall(baselineCounts, draw);
        }

        Array.Sort(differences);
        var tail = (1 - confidenceLevel) / 2;
        return new BootstrapInterval(point, Quantile(differences, tail), Quantile(differences, 1 - tail), resamples);
    }

    /// <summary>Per class, each crop's counts (null where the crop does not annotate the class).</summary>
    private static List<ClassCounts> PerCrop(ScoreReport report, List<string> crops)
    {
        var index = crops.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        return report.Classes.Select(c =>
        {
            var perCrop = new CropClassScore?[crops.Count];
            foreach (var score in report.Crops.Where(s => s.ClassName == c.ClassName))
            {
                perCrop[index[score.CropName]] = score;
            }

            return new ClassCounts(c.ClassName, c.Kind, perCrop);
        }).ToList();
    }

    private static double Overall(List<ClassCounts> classes, int[] draw)
    {
        var pooled = new List<ClassScore>(classes.Count);
        foreach (var counts in classes)
        {
            var voxels = default(ConfusionCounts);
            var instances = default(InstanceCounts);
            var drawn = 0;
            foreach (var crop in draw)
            {
                if (counts.PerCrop[crop] is { } score)
                {
                    voxels += score.Voxels;
                    if (score.Instances is { } evaluation)
                    {
                        instances += evaluation.Counts;
                    }

                    drawn++;
                }
            }

            if (drawn > 0)
            {
                pooled.Add(new ClassScore(counts.ClassName, counts.Kind, drawn, voxels, counts.Kind == ClassKind.Instance ? instances : null));
            }
        }

        return new ScoreReport(pooled, []).Overall;
    }

    /// <summary>Linear interpolation between order statistics (numpy's default).</summary>
    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }

    private sealed record ClassCounts(string ClassName, ClassKind Kind, CropClassScore?[] PerCrop);
}
