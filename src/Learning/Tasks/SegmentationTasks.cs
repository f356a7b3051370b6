using HotDistance.Contracts;

namespace HotDistance.Learning.Tasks;

public static class SegmentationTasks
{
    public static SegmentationTask Create(string variant, double distanceLambda = 1.0) => variant switch
    {
        Variants.OneHot => new OneHotTask(),
        Variants.Distance => new DistanceTask(),
        Variants.HotDistance => new HotDistanceTask(distanceLambda),
        _ => throw new ArgumentException(
            $"unknown variant '{variant}': use one of {string.Join(", ", Variants.All)}", nameof(variant)),
    };
}
