namespace HotDistance.Catalog.Status;

/// <summary>
/// One night's re-evaluation of the champion on the whole held-out set: its score, the previous night's score it
/// was compared with (null on a champion's first night, or with no champion), and whether it fell by more than
/// the tolerance and retraining was asked for.
/// </summary>
public sealed record NightlyEntry(
    string NightKey,
    DateTimeOffset ScheduledFor,
    double? ChampionOverall,
    double? BaselineOverall,
    bool Regression,
    bool RetrainingRequested,
    string Summary,
    DateTimeOffset CompletedAt);
