using HotDistance.Core.Volumes;

namespace HotDistance.Core.PostProcessing;

/// <summary>
/// The three model variants' post-processing, per class: one-hot thresholds its probability and splits by
/// connected components; distance thresholds t and splits by seeded watershed on t; hot-distance takes the
/// mask from its one-hot head and runs the watershed on its distance head inside that mask.
/// Pass <c>withInstances: false</c> for semantic classes to skip the instance step.
/// </summary>
public static class ClassPostProcessor
{
    public static ClassPrediction FromOneHot(Volume<float> probability, bool withInstances, PostProcessingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(probability);
        options ??= new PostProcessingOptions();
        var mask = Thresholding.Above(probability, options.ProbabilityThreshold);
        var instances = withInstances ? ConnectedComponents.Label(mask, options.Connectivity).Labels : null;
        return new ClassPrediction(mask, instances);
    }

    public static ClassPrediction FromDistance(Volume<float> distance, bool withInstances, PostProcessingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(distance);
        options ??= new PostProcessingOptions();
        var mask = Thresholding.Above(distance, options.DistanceThreshold);
        return new ClassPrediction(mask, withInstances ? Watershed(distance, mask, options) : null);
    }

    public static ClassPrediction FromHotDistance(
        Volume<float> probability,
        Volume<float> distance,
        bool withInstances,
        PostProcessingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(probability);
        ArgumentNullException.ThrowIfNull(distance);
        options ??= new PostProcessingOptions();
        var mask = Thresholding.Above(probability, options.ProbabilityThreshold);
        return new ClassPrediction(mask, withInstances ? Watershed(distance, mask, options) : null);
    }

    private static Volume<uint> Watershed(Volume<float> distance, Volume<byte> mask, PostProcessingOptions options) =>
        SeededWatershed.Segment(
            distance,
            mask,
            options.SeedThreshold,
            options.Connectivity,
            options.LabelUnseededComponents).Labels;
}
