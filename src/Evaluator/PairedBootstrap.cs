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
        return Difference([model], [baseline], r => r.Overall, resamples, seed, confidenceLevel)!;
    }

    /// <summary>
    /// The same over several trainings of each model: <paramref name="models"/>[i] is paired with
    /// <paramref name="baselines"/>[i] (the same training seed), and each resample draws the trainings with replacement
    /// as well as the crops, so the interval covers the spread between trainings too. The difference is the mean over
    /// trainings of <paramref name="score"/>'s difference. With no baselines it is an interval of the mean score itself.
    /// Null when <paramref name="score"/> has no value on the full data (e.g. an instance score with no instance class).
    /// </summary>
    public static BootstrapInterval? Difference(
        IReadOnlyList<ScoreReport> models,
        IReadOnlyList<ScoreReport>? baselines,
        Func<ScoreReport, double?> score,
        int resamples,
        int seed,
        double confidenceLevel = 0.95)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(score);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(resamples);
        if (models.Count == 0 || (baselines is not null && baselines.Count != models.Count))
        {
            throw new ArgumentException($"give at least one model and as many baselines as models (got {models.Count} and {baselines?.Count})", nameof(baselines));
        }

        if (confidenceLevel is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "the confidence level must lie strictly between 0 and 1");
        }

        var pointParts = models.Select((m, i) => score(m) - (baselines is null ? 0 : score(baselines[i]))).ToList();
        if (pointParts.Any(p => p is null || !double.IsFinite(p.Value)))
        {
            return null;
        }

        var point = pointParts.Average(p => p!.Value);
        var crops = models.Concat(baselines ?? [])
            .SelectMany(r => r.Crops.Select(c => c.CropName))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (crops.Count == 0)
        {
            return new BootstrapInterval(point, point, point, resamples);
        }

        var modelCounts = models.Select(m => PerCrop(m, crops)).ToList();
        var baselineCounts = baselines?.Select(b => PerCrop(b, crops)).ToList();
        var random = new Random(seed);
        var draw = new int[crops.Count];
        var trainings = new int[models.Count];
        var differences = new List<double>(resamples);
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < draw.Length; i++)
            {
                draw[i] = random.Next(crops.Count);
            }

            // One training needs no draw, which keeps the single-model intervals as they always were.
            for (var i = 0; i < trainings.Length && trainings.Length > 1; i++)
            {
                trainings[i] = random.Next(trainings.Length);
            }

            var sum = 0.0;
            foreach (var t in trainings)
            {
                sum += (Pooled(modelCounts[t], draw, score) ?? double.NaN) - (baselineCounts is null ? 0 : Pooled(baselineCounts[t], draw, score) ?? double.NaN);
            }

            // A draw without any crop of a class kind has no such score: it is left out rather than counted as 0.
            if (double.IsFinite(sum))
            {
                differences.Add(sum / trainings.Length);
            }
        }

        if (differences.Count == 0)
        {
            return new BootstrapInterval(point, point, point, resamples);
        }

        var sorted = differences.Order().ToArray();
        var tail = (1 - confidenceLevel) / 2;
        return new BootstrapInterval(point, Quantile(sorted, tail), Quantile(sorted, 1 - tail), resamples);
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

    private static double? Pooled(List<ClassCounts> classes, int[] draw, Func<ScoreReport, double?> score)
    {
        var pooled = new List<ClassScore>(classes.Count);
        foreach (var counts in classes)
        {
            var voxels = default(ConfusionCounts);
            var instances = default(InstanceCounts);
            var drawn = 0;
            foreach (var crop in draw)
            {
                if (counts.PerCrop[crop] is { } cropScore)
                {
                    voxels += cropScore.Voxels;
                    if (cropScore.Instances is { } evaluation)
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

        return score(new ScoreReport(pooled, []));
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
