namespace HotDistance.Contracts;

/// <summary>
/// How the winner was chosen: the rule in words, its settings, and every challenger's comparison with the
/// champion (empty when there was no champion to compare with).
/// </summary>
public sealed record PromotionDecision(
    string Rule,
    double Margin,
    int Resamples,
    int Seed,
    double ConfidenceLevel,
    IReadOnlyList<ChallengerComparison> Comparisons);
