using HotDistance.Contracts;

namespace HotDistance.Evaluator.Nightly;

/// <summary>One night in nightly/history.json: the trend the regression check reads.</summary>
public sealed record NightlyRecord(
    string NightKey,
    DateTimeOffset ScheduledFor,
    DateTimeOffset CompletedAt,
    int HeldOutCrops,
    IReadOnlyList<NightlyModelScore> Scores,
    double? ChampionOverall,
    double? BaselineOverall,
    bool Regression,
    bool RetrainingRequested);

/// <summary>A model's overall held-out score on one night.</summary>
public sealed record NightlyModelScore(string Variant, string Role, string Checkpoint, double Overall)
{
    public static NightlyModelScore From(ModelScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        return new NightlyModelScore(score.Variant, score.Role, score.Checkpoint, score.Overall);
    }
}
