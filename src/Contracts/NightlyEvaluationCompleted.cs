namespace HotDistance.Contracts;

/// <summary>
/// The nightly re-evaluation of the champion and the latest challengers on the whole held-out set finished.
/// <see cref="Regression"/> is true when the champion scored more than the tolerance below its previous nightly
/// score (<see cref="BaselineOverall"/>); <see cref="RetrainingRequested"/> says whether a
/// <see cref="Contracts.RetrainingRequested"/> was published with it. Domain key: <see cref="NightKey"/>.
/// </summary>
public sealed record NightlyEvaluationCompleted(
    string NightKey,
    DateTimeOffset ScheduledFor,
    IReadOnlyList<ModelScore> Scores,
    IReadOnlyList<string> HeldOutCropIds,
    double? ChampionOverall,
    double? BaselineOverall,
    bool Regression,
    bool RetrainingRequested,
    string Summary,
    DateTimeOffset CompletedAt);
