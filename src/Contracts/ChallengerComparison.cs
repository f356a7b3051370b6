namespace HotDistance.Contracts;

/// <summary>
/// One challenger against the champion on the held-out crops: the difference of overall scores
/// (challenger minus champion) and its paired-bootstrap confidence interval over crops.
/// <see cref="ClearsMargin"/> is true when the interval's lower bound exceeds the promotion margin.
/// </summary>
public sealed record ChallengerComparison(
    string Variant,
    string Checkpoint,
    double Overall,
    double ChampionOverall,
    double Difference,
    double IntervalLower,
    double IntervalUpper,
    bool ClearsMargin);
