using System.ComponentModel.DataAnnotations;
using HotDistance.Core;
using HotDistance.Core.Volumes;
using HotDistance.Learning.Model;

namespace HotDistance.Learning.Training;

/// <summary>How a variant is trained. The defaults fit a CPU demo; a GPU runner raises steps and patch size.</summary>
public sealed record TrainingSettings
{
    [Range(1, 10_000_000)]
    public int Steps { get; init; } = 200;

    [Range(4, 1024)]

    public int PatchSize { get; init; } = 32;

    [Range(1, 1024)]

    public int BatchSize { get; init; } = 2;

    [Range(1e-8, 10.0)]

    public double LearningRate { get; init; } = 3e-3;

    /// <summary>
    /// The last share of the steps (0 to 1) over which the learning rate falls linearly to zero; 0 keeps it
    /// constant. See <see cref="LearningRateSchedule"/>.
    /// </summary>
    [Range(0.0, 1.0)]
    public double LearningRateDecayFraction { get; init; } = 0.5;

    public int Seed { get; init; } = 42;

    [Range(1, int.MaxValue)]

    public int CheckpointEvery { get; init; } = 50;

    /// <summary>
    /// Steps whose loss or gradient is NaN or infinite are skipped (the weights stay as they were); a job that
    /// skips more than this many stops as diverged.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxNonFiniteSteps { get; init; } = 10;

    /// <summary>lambda: the weight of the distance loss in hot-distance.</summary>
    [Range(0.0, 1000.0)]
    public double DistanceLambda { get; init; } = 1.0;

    /// <summary>s: the distance (nm) that tanh normalisation maps to about 0.76.</summary>
    [Range(0.001, 1_000_000.0)]
    public double DistanceScaleNm { get; init; } = 80;

    /// <summary>
    /// Pairs of classes that cannot overlap: a voxel of one is a true negative of the other. The trainer sets it from
    /// the pipeline's (pipeline:mutuallyExclusive), the one place it is configured.
    /// </summary>
    [NotConfigured]
    public IReadOnlyList<string[]> MutuallyExclusive { get; init; } = [];

    public ModelArchitecture Architecture { get; init; } = ModelArchitecture.Small;

    /// <summary>How raw intensities become the network's input; recorded with the model, which applies it wherever it runs.</summary>
    public IntensityNormalization Intensity { get; init; } = IntensityNormalization.DtypeRange;

    /// <summary>Sampling weight of the newest generation's crops relative to older (replayed) crops.</summary>
    [Range(0.0, 1000.0)]
    public double NewCropWeight { get; init; } = 2.0;

    /// <summary>
    /// Where to train: auto (the GPU when there is one), cpu, cuda or cuda:N; null is auto. A host sets it from the
    /// configuration's <c>device</c>, the one key for where a host computes.
    /// Checkpoints do not depend on it: a model trained on one device loads on the other.
    /// </summary>
    [NotConfigured]
    public string? Device { get; init; }
}
