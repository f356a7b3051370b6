using System.ComponentModel.DataAnnotations;
using HotDistance.Core;
using HotDistance.Learning.Inference;

namespace HotDistance.Evaluator;

public sealed record EvaluatorSettings
{
    /// <summary>
    /// How much a challenger's overall score must exceed the champion's to replace it: the lower bound of the
    /// bootstrap interval of the difference must be above this.
    /// </summary>
    [Range(0.0, 1.0)]
    public double PromotionMargin { get; init; }

    /// <summary>Paired bootstrap resamples over held-out crops behind each challenger's interval.</summary>
    [Range(100, 1_000_000)]
    public int BootstrapResamples { get; init; } = 2000;

    /// <summary>Seeds the bootstrap, so an evaluation repeated on the same scores gives the same intervals.</summary>
    public int BootstrapSeed { get; init; } = 17;

    /// <summary>Two-sided confidence level of the bootstrap interval.</summary>
    [Range(0.5, 0.999)]
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Share of a generation's training crops used to tune thresholds (at least one, at most <see cref="MaxValidationCrops"/>).</summary>
    [Range(0.0, 0.9)]
    public double ValidationFraction { get; init; } = 0.25;

    [Range(1, 1000)]

    public int MaxValidationCrops { get; init; } = 8;

    /// <summary>One-hot probability thresholds tried per class.</summary>
    public IReadOnlyList<double> ProbabilityThresholds { get; init; } = [0.3, 0.4, 0.5, 0.6, 0.7];

    /// <summary>Watershed seed thresholds on t tried per instance class.</summary>
    public IReadOnlyList<double> SeedThresholds { get; init; } = [0.3, 0.5, 0.7];

    /// <summary>Tile size and batch for whole-crop inference.</summary>
    public TilingOptions Tiling { get; init; } = TilingOptions.Default;

    public NightlySettings Nightly { get; init; } = new();

    /// <summary>Where scoring predicts (auto, cpu, cuda, cuda:N; null is auto); a host sets it from the configuration's <c>device</c>.</summary>
    [NotConfigured]
    public string? Device { get; init; }

    /// <summary>
    /// How often <see cref="StalledGenerationSweeper"/> looks for generations whose evaluation or promotion gave up,
    /// and how long such work must have stood still to count; <see cref="TimeSpan.Zero"/> turns it off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMinutes(5);
}
