namespace HotDistance.Contracts;

/// <summary>
/// The challengers of a generation (and the champion, if any) were scored on the same held-out crops.
/// <see cref="Winner"/> is null when no challenger should replace the champion; <see cref="Reason"/> says why and
/// <see cref="Decision"/> carries the bootstrap intervals behind it. <see cref="ValidationCropIds"/> are the
/// training crops the post-processing thresholds were tuned on (never held-out crops). <see cref="ReportPath"/> is
/// relative to the workspace.
/// Domain key: <see cref="EvaluationId"/>.
/// </summary>
public sealed record EvaluationCompleted(
    string EvaluationId,
    string GenerationId,
    int GenerationNumber,
    IReadOnlyList<ModelScore> Scores,
    ModelScore? Winner,
    string Reason,
    IReadOnlyList<string> HeldOutCropIds,
    IReadOnlyList<string> TrainingCropIds,
    string ReportPath,
    DateTimeOffset CompletedAt,
    PromotionDecision? Decision = null,
    IReadOnlyList<string>? ValidationCropIds = null);
