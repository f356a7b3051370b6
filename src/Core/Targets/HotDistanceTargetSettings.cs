using System.Globalization;

namespace HotDistance.Core.Targets;

/// <summary>Settings of the Hot-Distance targets and weights; the defaults are dacapo's CellMap values.</summary>
public sealed record HotDistanceTargetSettings
{
    /// <summary>Scale s (nm) of the normalised distance t = tanh(d / s).</summary>
    public double ScaleNm { get; init; } = 80.0;

    /// <summary>Added to |t| before comparing with the known-region bound (dacapo's epsilon).</summary>
    public double Epsilon { get; init; } = 0.05;

    /// <summary>Cap on |t| + epsilon in that comparison (dacapo's threshold).</summary>
    public double Threshold { get; init; } = 0.8;

    /// <summary>Lower clip of a side's masked-in fraction before it becomes a weight 1 / (2 f).</summary>
    public double ClipMin { get; init; } = 0.05;

    /// <summary>Upper clip of that fraction.</summary>
    public double ClipMax { get; init; } = 0.95;

    /// <summary>Classes that supply true negatives for each other.</summary>
    public MutualExclusions MutualExclusions { get; init; } = MutualExclusions.None;

    /// <summary>Most threads one build uses; -1 for no limit.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad setting and its allowed range.</summary>
    public void Validate()
    {
        Require(double.IsFinite(ScaleNm) && ScaleNm > 0, nameof(ScaleNm), ScaleNm, "a positive number of nm");
        Require(double.IsFinite(Epsilon) && Epsilon >= 0, nameof(Epsilon), Epsilon, "0 or more");
        Require(Threshold > 0 && Threshold <= 1, nameof(Threshold), Threshold, "in (0, 1]");
        Require(ClipMin > 0 && ClipMin <= ClipMax, nameof(ClipMin), ClipMin, "in (0, ClipMax]");
        Require(ClipMax <= 1, nameof(ClipMax), ClipMax, "in [ClipMin, 1]");
        if (MutualExclusions is null)
        {
            throw new ArgumentException($"{nameof(MutualExclusions)} must be set; use {nameof(Targets.MutualExclusions)}.{nameof(Targets.MutualExclusions.None)}", nameof(MutualExclusions));
        }

        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{nameof(MaxDegreeOfParallelism)} is {MaxDegreeOfParallelism}; use -1 for no limit or a positive thread count"),
                nameof(MaxDegreeOfParallelism));
        }
    }

    private static void Require(bool ok, string name, double value, string range)
    {
        if (!ok)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{name} is {value}; it must be {range}"), name);
        }
    }
}
