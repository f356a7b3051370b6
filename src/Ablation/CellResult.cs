using HotDistance.Core.Metrics;

namespace HotDistance.Ablation;

/// <summary>
/// What one finished cell leaves: its scores on the held-out crops, down to each crop's counts (so intervals can be
/// drawn again without retraining), its loss curve and where its time went. <see cref="Fingerprint"/> is the cell's
/// training and scoring settings: a result made with other settings is not this cell's.
/// </summary>
public sealed record CellResult(
    string Key,
    string Variant,
    double? Lambda,
    string Density,
    int Seed,
    string Fingerprint,
    double Overall,
    double? Semantic,
    double? Instance,
    IReadOnlyDictionary<string, double> PerClass,
    IReadOnlyList<CropCounts> Crops,
    IReadOnlyList<double> LossHistory,
    CellTimings Timings,
    DateTimeOffset FinishedAt)
{
    /// <summary>The held-out scores as a report again, for the bootstrap.</summary>
    public ScoreReport ToReport(IReadOnlySet<string> instanceClasses) =>
        SegmentationScorer.Pool(
            Crops.Select(c => new CropClassScore(
                c.Crop,
                c.Class,
                c.Instances is null ? ClassKind.Semantic : ClassKind.Instance,
                c.Voxels,
                c.Instances is { } counts ? new InstanceEvaluation(0, 0, [], 0, counts) : null)).ToList(),
            new ScoringOptions { InstanceClasses = instanceClasses });
}

/// <summary>One held-out crop's counts for one class.</summary>
public sealed record CropCounts(string Crop, string Class, ConfusionCounts Voxels, InstanceCounts? Instances);

/// <summary>
/// Where a cell's wall time went: thinning its crops, building targets (inside training), the training steps, scoring
/// (threshold tuning, inference, metrics). <see cref="StartStep"/> is the step its last run began at (0 unless it resumed).
/// </summary>
public sealed record CellTimings(double WallSeconds, double ThinningSeconds, double TargetsSeconds, double TrainingSeconds, double ScoringSeconds, int StartStep)
{
    /// <summary>Everything but the training steps, as a share of the wall time.</summary>
    public double OverheadFraction => WallSeconds > 0 ? (ThinningSeconds + TargetsSeconds + ScoringSeconds) / WallSeconds : 0;
}
