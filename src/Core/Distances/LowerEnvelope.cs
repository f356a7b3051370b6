namespace HotDistance.Core.Distances;

/// <summary>
/// One-dimensional min-plus transform by the lower envelope of parabolas (Felzenszwalb and Huttenlocher,
/// "Distance transforms of sampled functions", 2012), linear in the line length.
/// </summary>
internal static class LowerEnvelope
{
    /// <summary>
    /// Centres: <c>out[p] = min_q f[q] + (w (p - q))^2</c>.
    /// Cubes: <c>out[p] = min_q f[q] + (w max(|p - q| - 1/2, 0))^2</c>, the squared distance from p to the
    /// segment covered by voxel q.
    /// </summary>
    /// <remarks>
    /// The cube cost is not a parabola, but for q != p it equals the smaller of the parabolas centred at
    /// q - 1/2 and q + 1/2, and both parabolas never undercut the true cost (at q = p they give w^2/4 against the
    /// true 0, which the plain <c>f[p]</c> term covers). So one envelope of the usual parabolas, read at the
    /// half-integer points p - 1/2 and p + 1/2, plus <c>f[p]</c>, is exact.
    /// </remarks>
    public static void Transform(int length, double spacing, FeatureGeometry geometry, LineScratch scratch)
    {
        var f = scratch.Input;
        var output = scratch.Output;
        var count = BuildEnvelope(f, length, spacing * spacing, scratch);
        if (count == 0)
        {
            Array.Fill(output, double.PositiveInfinity, 0, length);
            return;
        }

        if (geometry == FeatureGeometry.Centres)
        {
            Evaluate(count, spacing * spacing, 0.0, length, output, scratch);
            return;
        }

        var envelope = scratch.Envelope;
        Evaluate(count, spacing * spacing, -0.5, length + 1, envelope, scratch);
        for (var p = 0; p < length; p++)
        {
            output[p] = Math.Min(f[p], Math.Min(envelope[p], envelope[p + 1]));
        }
    }

    /// <summary>
    /// The same transform for a line whose costs are all 0 (feature) or +infinity (the usual first pass): the
    /// nearest feature on the line decides, found by one sweep each way.
    /// </summary>
    public static void TransformBinary(int length, double spacing, FeatureGeometry geometry, LineScratch scratch)
    {
        var f = scratch.Input;
        var gaps = scratch.Output;
        var last = -1;
        for (var p = 0; p < length; p++)
        {
            if (f[p] == 0.0)
            {
                last = p;
            }

            gaps[p] = last < 0 ? double.PositiveInfinity : p - last;
        }

        var next = -1;
        var shrink = geometry == FeatureGeometry.Cubes ? 0.5 : 0.0;
        for (var p = length - 1; p >= 0; p--)
        {
            if (f[p] == 0.0)
            {
                next = p;
            }

            var gap = next < 0 ? gaps[p] : Math.Min(gaps[p], next - p);
            var reach = Math.Max(gap - shrink, 0.0) * spacing;
            gaps[p] = reach * reach;
        }
    }

    private static int BuildEnvelope(double[] f, int length, double spacingSquared, LineScratch scratch)
    {
        var sites = scratch.Sites;
        var costs = scratch.SiteCosts;
        var keys = scratch.SiteKeys;
        var bounds = scratch.Bounds;
        var count = 0;
        for (var q = 0; q < length; q++)
        {
            var cost = f[q];
            if (double.IsPositiveInfinity(cost))
            {
                continue;
            }

            var key = cost + (spacingSquared * q * q);
            var start = double.NegativeInfinity;
            while (count > 0)
            {
                var last = count - 1;
                start = (key - keys[last]) / (2.0 * spacingSquared * (q - sites[last]));
                if (start > bounds[last])
                {
                    break;
                }

                // The new parabola undercuts the last one everywhere it was lowest: drop it.
                count--;
                start = double.NegativeInfinity;
            }

            sites[count] = q;
            costs[count] = cost;
            keys[count] = key;
            bounds[count] = start;
            count++;
        }

        bounds[count] = double.PositiveInfinity;
        return count;
    }

    private static void Evaluate(int count, double spacingSquared, double offset, int points, double[] output, LineScratch scratch)
    {
        var sites = scratch.Sites;
        var costs = scratch.SiteCosts;
        var bounds = scratch.Bounds;
        var k = 0;
        for (var j = 0; j < points; j++)
        {
            var x = j + offset;
            while (bounds[k + 1] < x)
            {
                k++;
            }

            var dx = x - sites[k];
            output[j] = costs[k] + (spacingSquared * dx * dx);
        }
    }
}
