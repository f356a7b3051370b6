using HotDistance.Contracts;
using HotDistance.Core.PostProcessing;

namespace HotDistance.Learning.Inference;

/// <summary>
/// Turns the post-processing stored with a model (<see cref="ModelPostProcessing"/>) into the options each class is
/// segmented with. The one place that mapping lives, so the evaluator, hd predict and sites cannot drift apart.
/// </summary>
public static class DeployedPostProcessing
{
    public static PostProcessingOptions ToOptions(ClassThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        return new PostProcessingOptions
        {
            ProbabilityThreshold = (float)thresholds.ProbabilityThreshold,
            DistanceThreshold = (float)thresholds.DistanceThreshold,
            SeedThreshold = (float)thresholds.SeedThreshold,
        };
    }

    /// <summary>The class's stored thresholds; the defaults for a class (or a model) that has none stored.</summary>
    public static PostProcessingOptions OptionsFor(ModelPostProcessing? postProcessing, string className) =>
        postProcessing is not null && postProcessing.Thresholds.TryGetValue(className, out var thresholds)
            ? ToOptions(thresholds)
            : new PostProcessingOptions();
}
