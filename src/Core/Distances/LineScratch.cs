namespace HotDistance.Core.Distances;

/// <summary>Per-thread buffers for transforming one line; sized once for the longest line of a pass.</summary>
internal sealed class LineScratch
{
    public LineScratch(int length)
    {
        Input = new double[length];
        Output = new double[length];
        Sites = new int[length];
        SiteCosts = new double[length];
        SiteKeys = new double[length];
        Bounds = new double[length + 1];
        Envelope = new double[length + 1];
    }

    public double[] Input { get; }

    public double[] Output { get; }

    /// <summary>Positions of the parabolas that form the lower envelope, left to right.</summary>
    public int[] Sites { get; }

    public double[] SiteCosts { get; }

    /// <summary>cost + (spacing * position)^2 of each site, so an intersection costs one division.</summary>
    public double[] SiteKeys { get; }

    /// <summary>Bounds[k] is where parabola k starts being the lowest; Bounds[count] is +infinity.</summary>
    public double[] Bounds { get; }

    public double[] Envelope { get; }
}
