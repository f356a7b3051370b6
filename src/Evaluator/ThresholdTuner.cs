using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.Metrics;
using HotDistance.Core.PostProcessing;
using HotDistance.Learning.Inference;
using HotDistance.Learning.Tasks;

namespace HotDistance.Evaluator;

/// <summary>
/// Chooses each class's post-processing thresholds on validation crops: every candidate is applied to every
/// crop, the counts are pooled across crops as the held-out scoring pools them, and the candidate with the best
/// class score wins (ties keep the default). Which thresholds are tried depends on the variant: the one-hot
/// probability threshold where there is a one-hot head, the watershed seed threshold for instance classes where
/// there is a distance head (both, jointly, for hot-distance instance classes). Anything not tried keeps its default.
/// </summary>
public static class ThresholdTuner
{
    public static IReadOnlyDictionary<string, ClassThresholds> Defaults(IEnumerable<string> classes)
    {
        var defaults = new PostProcessingOptions();
        return classes.ToDictionary(c => c, _ => ToThresholds(defaults, tuned: false, score: null), StringComparer.Ordinal);
    }

    /// <summary>
    /// <paramref name="validation"/> is enumerated once, so predictions can be made lazily and dropped after use.
    /// Classes no validation crop annotates keep the defaults.
    /// </summary>
    public static IReadOnlyDictionary<string, ClassThresholds> Tune(
        SegmentationTask task,
        IReadOnlyList<string> classes,
        IEnumerable<(Crop Crop, Prediction Prediction)> validation,
        IReadOnlySet<string> instanceClasses,
        IReadOnlyList<double> probabilityThresholds,
        IReadOnlyList<double> seedThresholds)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(instanceClasses);
        var scoring = new ScoringOptions { InstanceClasses = instanceClasses };
        var candidates = classes.ToDictionary(
            c => c,
            c => Candidates(task.Variant, instanceClasses.Contains(c), probabilityThresholds, seedThresholds),
            StringComparer.Ordinal);
        var pooled = classes.ToDictionary(c => c, c => new (ConfusionCounts, InstanceCounts)[candidates[c].Count], StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (crop, prediction) in validation)
        {
            for (var c = 0; c < classes.Count; c++)
            {
                var className = classes[c];
                if (!crop.Labels.TryGetValue(className, out var truth))
                {
                    continue;
                }

                seen.Add(className);
                var withInstances = instanceClasses.Contains(className);
                var options = candidates[className];
                for (var k = 0; k < options.Count; k++)
                {
                    var processed = task.PostProcess(prediction, c, withInstances, options[k]);
                    var score = SegmentationScorer.Score(crop.Name, crop.VoxelSize, truth, processed, scoring);
                    var (voxels, instances) = pooled[className][k];
                    pooled[className][k] = (voxels + score.Voxels, score.Instances is { } i ? instances + i.Counts : instances);
                }
            }
        }

        var result = new Dictionary<string, ClassThresholds>(StringComparer.Ordinal);
        foreach (var className in classes)
        {
            if (!seen.Contains(className))
            {
                result[className] = ToThresholds(new PostProcessingOptions(), tuned: false, score: null);
                continue;
            }

            var kind = instanceClasses.Contains(className) ? ClassKind.Instance : ClassKind.Semantic;
            var best = 0;
            var bestScore = double.NegativeInfinity;
            for (var k = 0; k < candidates[className].Count; k++)
            {
                var (voxels, instances) = pooled[className][k];
                var score = new ClassScore(className, kind, 1, voxels, kind == ClassKind.Instance ? instances : null).Score;
                if (score > bestScore)
                {
                    (best, bestScore) = (k, score);
                }
            }

            result[className] = ToThresholds(candidates[className][best], tuned: true, bestScore);
        }

        return result;
    }

    /// <summary>The default comes first, so that on a tie it is kept.</summary>
    private static List<PostProcessingOptions> Candidates(string variant, bool instance, IReadOnlyList<double> probabilities, IReadOnlyList<double> seeds)
    {
        var defaults = new PostProcessingOptions();
        var hasOneHot = variant is Variants.OneHot or Variants.HotDistance;
        var tunesSeed = instance && variant is Variants.Distance or Variants.HotDistance;
        var probabilityGrid = hasOneHot ? WithDefault(probabilities, defaults.ProbabilityThreshold) : [defaults.ProbabilityThreshold];
        var seedGrid = tunesSeed ? WithDefault(seeds, defaults.SeedThreshold) : [defaults.SeedThreshold];
        return probabilityGrid
            .SelectMany(p => seedGrid.Select(s => defaults with { ProbabilityThreshold = p, SeedThreshold = s }))
            .OrderBy(o => o.ProbabilityThreshold == defaults.ProbabilityThreshold && o.SeedThreshold == defaults.SeedThreshold ? 0 : 1)
            .ToList();
    }

    private static List<float> WithDefault(IReadOnlyList<double> grid, float value) =>
        grid.Select(v => (float)v).Prepend(value).Distinct().ToList();

    private static ClassThresholds ToThresholds(PostProcessingOptions options, bool tuned, double? score) =>
        new(Tidy(options.ProbabilityThreshold), Tidy(options.DistanceThreshold), Tidy(options.SeedThreshold), tuned, score);

    // 0.3f widens to 0.30000001192...; the record should say 0.3.
    private static double Tidy(float value) => Math.Round(value, 6);
}
