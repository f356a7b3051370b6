namespace HotDistance.Contracts;

/// <summary>
/// The post-processing thresholds a model was scored with for one class. <see cref="Tuned"/> is true when they
/// were chosen on validation crops (a subset of the training crops, never held-out ones), where they scored
/// <see cref="ValidationScore"/>; false when the defaults were used.
/// </summary>
public sealed record ClassThresholds(
    double ProbabilityThreshold,
    double DistanceThreshold,
    double SeedThreshold,
    bool Tuned,
    double? ValidationScore);
