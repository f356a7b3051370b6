namespace HotDistance.Evaluator;

/// <summary>
/// Maps raw intensities to grey levels, stretching the 1st to 99th percentile of the slice over the full range
/// so that low-contrast EM (and synthetic crops sitting around one grey value) shows its structure.
/// </summary>
internal readonly record struct Contrast(float Low, float High)
{
    public static Contrast Of(float[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var finite = raw.Where(float.IsFinite).Order().ToArray();
        if (finite.Length == 0)
        {
            return new Contrast(0, 1);
        }

        var low = finite[(int)(0.01 * (finite.Length - 1))];
        var high = finite[(int)(0.99 * (finite.Length - 1))];
        return high > low ? new Contrast(low, high) : new Contrast(low, low + 1);
    }

    public byte Grey(float value) =>
        float.IsFinite(value) ? (byte)Math.Clamp((value - Low) / (High - Low) * 255f, 0f, 255f) : (byte)0;
}
