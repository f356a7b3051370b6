namespace HotDistance.Evaluator.Nightly;

/// <summary>
/// What the nightly schedule remembers across restarts (nightly/state.json in the workspace):
/// <see cref="WatchingSince"/> is when an evaluator first ran the schedule (there is nothing to catch up from
/// before it) and <see cref="LastScheduledFor"/> the newest firing that ran.
/// </summary>
public sealed record NightlyState(DateTimeOffset WatchingSince, DateTimeOffset? LastScheduledFor, string? LastNightKey, DateTimeOffset? LastCompletedAt);
