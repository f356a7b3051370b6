namespace HotDistance.Core.Targets;

/// <summary>How much of a crop one class's targets teach: present voxels and voxels with loss weight per channel.</summary>
public sealed record TargetClassSummary(
    string ClassName,
    ClassTargetSource Source,
    long Voxels,
    long PositiveVoxels,
    long OneHotWeightedVoxels,
    long DistanceWeightedVoxels)
{
    /// <summary>One summary per class, in channel order.</summary>
    public static IReadOnlyList<TargetClassSummary> Summarize(HotDistanceTargets targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var summaries = new TargetClassSummary[targets.ClassCount];
        for (var c = 0; c < targets.ClassCount; c++)
        {
            summaries[c] = new TargetClassSummary(
                targets.ClassNames[c],
                targets.Sources[c],
                targets.Shape.Count,
                CountNonzero(targets.Channel(targets.OneHot, c)),
                CountNonzero(targets.Channel(targets.OneHotWeight, c)),
                CountNonzero(targets.Channel(targets.DistanceWeight, c)));
        }

        return summaries;
    }

    private static long CountNonzero(ReadOnlySpan<float> values)
    {
        long count = 0;
        foreach (var v in values)
        {
            count += v != 0f ? 1 : 0;
        }

        return count;
    }
}
