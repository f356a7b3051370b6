using HotDistance.Core.Crops;

namespace HotDistance.Evaluator;

/// <summary>
/// The crops thresholds are tuned on: a fixed share of the generation's training crops. Only crops the store
/// holds in the training split qualify, whatever the list of training ids says, so a held-out crop can never
/// leak into tuning. The choice is deterministic (crop ids derive from content hashes, so ordering by id is an
/// unbiased, repeatable draw).
/// </summary>
public static class ValidationCrops
{
    public static IReadOnlyList<StoredCrop> Select(
        IReadOnlyList<StoredCrop> stored,
        IEnumerable<string> trainingCropIds,
        double fraction,
        int maxCrops)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(trainingCropIds);
        var wanted = trainingCropIds.ToHashSet(StringComparer.Ordinal);
        var eligible = stored
            .Where(c => c.Split == CropSplits.Train && wanted.Contains(c.CropId))
            .OrderBy(c => c.CropId, StringComparer.Ordinal)
            .ToList();
        if (eligible.Count == 0 || maxCrops <= 0 || fraction <= 0)
        {
            return [];
        }

        return eligible.Take(Count(eligible.Count, fraction, maxCrops)).ToList();
    }

    /// <summary>How many of <paramref name="eligible"/> training crops tune thresholds: the share, at least one, at most <paramref name="maxCrops"/>.</summary>
    public static int Count(int eligible, double fraction, int maxCrops) =>
        Math.Clamp((int)Math.Ceiling(eligible * Math.Min(fraction, 1.0)), 1, maxCrops);
}
