namespace HotDistance.Contracts;

/// <summary>
/// Held-out scores of one model. <see cref="Role"/> is one of <see cref="ModelRoles"/>. <see cref="Checkpoint"/> is the
/// model's reference (<see cref="CheckpointReferences"/>) and <see cref="ModelSha256"/> the SHA-256 of the weights
/// that were scored. <see cref="Thresholds"/> holds, per class, the post-processing thresholds the scores were
/// computed with. <see cref="TrackingRunId"/> is the experiment tracker's run (MLflow) that trained a challenger's
/// weights; null for the champion, and when tracking is off or did not reach its server.
/// </summary>
public sealed record ModelScore(
    string Variant,
    string Role,
    string Checkpoint,
    string ModelSha256,
    double Overall,
    IReadOnlyDictionary<string, double> PerClass,
    IReadOnlyDictionary<string, ClassThresholds>? Thresholds = null,
    string? TrackingRunId = null);
