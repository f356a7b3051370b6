namespace HotDistance.Catalog.Status;

/// <summary>A generation's evaluation: every model's held-out score and which challenger (if any) won.</summary>
public sealed record EvaluationSummary(
    string GenerationId,
    string EvaluationId,
    long GenerationNumber,
    string? Winner,
    string Reason,
    long HeldOutCrops,
    long TrainingCrops,
    string ReportPath,
    DateTimeOffset CompletedAt,
    IReadOnlyList<ScoreEntry> Scores);

public sealed record ScoreEntry(string Variant, string Role, double Overall, IReadOnlyDictionary<string, double> PerClass);
