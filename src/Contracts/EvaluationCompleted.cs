namespace HotDistance.Contracts;

/// <summary>
/// The challengers of a generation (and the champion, if any) were scored on the same held-out crops.
/// <see cref="Winner"/> is null when no challenger should replace the champion; <see cref="Reason"/> says why.
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
    DateTimeOffset CompletedAt);
