namespace HotDistance.Bench.Edt;

/// <summary>How far two distance maps are apart: the benchmark only counts when both sides computed the same thing.</summary>
internal static class EdtAgreement
{
    /// <summary>
    /// The largest |a - b| over all voxels; equal infinities count as 0 apart, an infinity against a finite
    /// value or a NaN anywhere as infinitely apart.
    /// </summary>
    public static double MaxAbsDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"distance maps hold {a.Length} and {b.Length} values; they must cover the same volume", nameof(b));
        }

        var worst = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            var x = a[i];
            var y = b[i];
            if (x == y)
            {
                continue;
            }

            var difference = Math.Abs(x - y);
            if (double.IsNaN(difference))
            {
                return double.PositiveInfinity;
            }

            worst = Math.Max(worst, difference);
        }

        return worst;
    }
}
