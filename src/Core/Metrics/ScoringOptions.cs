using System.Collections.Frozen;
using HotDistance.Core.PostProcessing;

namespace HotDistance.Core.Metrics;

/// <summary>Settings of <see cref="SegmentationScorer"/>.</summary>
public sealed record ScoringOptions
{
    /// <summary>The CellMap challenge's instance classes, in its order (its INSTANCE_CLASSES, "instance" included).</summary>
    public static IReadOnlyList<string> ChallengeInstanceClasses { get; } = ["nuc", "vim", "ves", "endo", "lyso", "ld", "perox", "mito", "np", "mt", "cell", "instance"];

    /// <summary><see cref="ChallengeInstanceClasses"/> as a set.</summary>
    public static IReadOnlySet<string> DefaultInstanceClasses { get; } = ChallengeInstanceClasses.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Classes scored as instances; every other class is scored semantically.</summary>
    public IReadOnlySet<string> InstanceClasses { get; init; } = DefaultInstanceClasses;

    /// <summary>A truth and a predicted instance can only match when their IoU is strictly above this (challenge: 0).</summary>
    public double MinMatchIoU { get; init; }

    /// <summary>Used to split a mask into instances when truth or prediction of an instance class comes without ids.</summary>
    public Connectivity DerivedInstanceConnectivity { get; init; } = Connectivity.Full26;
}
