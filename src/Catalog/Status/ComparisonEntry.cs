namespace HotDistance.Catalog.Status;

/// <summary>
/// One challenger against the champion in an evaluation's promotion decision: the difference of overall scores
/// (challenger minus champion) and its paired-bootstrap interval; <see cref="ClearsMargin"/> when the interval's
/// lower bound is above the decision's margin.
/// </summary>
public sealed record ComparisonEntry(
    string Variant,
    double Overall,
    double ChampionOverall,
    double Difference,
    double IntervalLower,
    double IntervalUpper,
    bool ClearsMargin);
