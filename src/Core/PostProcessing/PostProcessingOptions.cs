namespace HotDistance.Core.PostProcessing;

/// <summary>Settings that turn network outputs into masks and instances (SPEC "Evaluation").</summary>
public sealed record PostProcessingOptions
{
    /// <summary>One-hot head: a voxel is in the class when its probability is strictly above this.</summary>
    public float ProbabilityThreshold { get; init; } = 0.5f;

    /// <summary>Distance head: a voxel is in the class when t is strictly above this.</summary>
    public float DistanceThreshold { get; init; }

    /// <summary>Watershed seeds are voxels with t strictly above this (t = tanh(d / s), so 0.5 means d &gt; 0.55 s).</summary>
    public float SeedThreshold { get; init; } = 0.5f;

    public Connectivity Connectivity { get; init; } = Connectivity.Full26;

    /// <summary>See <see cref="SeededWatershed.Segment"/>: mask components without a seed become instances too.</summary>
    public bool LabelUnseededComponents { get; init; } = true;
}
