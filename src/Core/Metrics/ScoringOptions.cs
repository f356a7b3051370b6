using System.Collections.Frozen;
using HotDistance.Core.PostProcessing;

namespace HotDistance.Core.Metrics;

/// <summary>Settings of <see cref="SegmentationScorer"/>.</summary>
public sealed record ScoringOptions
{
    /// <summary>The instance classes named in SPEC "Evaluation".</summary>
    public static IReadOnlySet<string> DefaultInstanceClasses { get; } =
        new[] { "nuc", "ves", "endo", "lyso", "ld", "perox", "mito", "np", "mt", "cell" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Classes scored as instances; every other class is scored semantically.</summary>
    public IReadOnlySet<string> InstanceClasses { get; init; } = DefaultInstanceClasses;

    /// <summary>A truth and a predicted instance can only match when their IoU is strictly above this (challenge: 0).</summary>
    public double MinMatchIoU { get; init; }

    /// <summary>Used to split a mask into instances when truth or prediction of an instance class comes without ids.</summary>
    public Connectivity DerivedInstanceConnectivity { get; init; } = Connectivity.Full26;
}
