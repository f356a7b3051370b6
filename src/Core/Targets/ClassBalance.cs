namespace HotDistance.Core.Targets;

/// <summary>
/// dacapo's two-class balancing: each side's weight is 1 / (2 f), f its share of the masked-in voxels, clipped so
/// that a side with very few voxels cannot dominate the loss.
/// </summary>
internal static class ClassBalance
{
    public static (float Positive, float Negative) SideWeights(long positive, long negative, double clipMin, double clipMax)
    {
        var total = positive + negative;
        if (total == 0)
        {
            return (0f, 0f);
        }

        return (Weight(positive, total, clipMin, clipMax), Weight(negative, total, clipMin, clipMax));
    }

    private static float Weight(long side, long total, double clipMin, double clipMax)
    {
        var fraction = Math.Clamp((double)side / total, clipMin, clipMax);
        return (float)(1.0 / (2.0 * fraction));
    }
}
