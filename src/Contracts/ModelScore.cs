namespace HotDistance.Contracts;

/// <summary>
/// Held-out scores of one model. <see cref="Role"/> is "challenger" or "champion". <see cref="Thresholds"/>
/// holds, per class, the post-processing thresholds the scores were computed with.
/// </summary>
public sealed record ModelScore(
    string Variant,
    string Role,
    string CheckpointPath,
    double Overall,
    IReadOnlyDictionary<string, double> PerClass,
    IReadOnlyDictionary<string, ClassThresholds>? Thresholds = null);
