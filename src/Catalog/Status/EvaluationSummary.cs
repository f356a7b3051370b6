namespace HotDistance.Catalog.Status;

/// <summary>
/// A generation's evaluation: every model's held-out score, which challenger (if any) won, and the promotion
/// decision's comparisons with the champion behind it.
/// </summary>
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
    IReadOnlyList<ScoreEntry> Scores)
{
    /// <summary>
    /// Each challenger against the champion, best overall score first; empty when there was no champion to compare
    /// with, or the evaluation carried no decision.
    /// </summary>
    public IReadOnlyList<ComparisonEntry> Comparisons { get; init; } = [];

    /// <summary>How far above the champion a challenger's interval must lie to win; null without a decision.</summary>
    public double? Margin { get; init; }

    /// <summary>The confidence level of the comparisons' intervals (0.95 for 95%); null without a decision.</summary>
    public double? ConfidenceLevel { get; init; }
}

public sealed record ScoreEntry(string Variant, string Role, double Overall, IReadOnlyDictionary<string, double> PerClass);
