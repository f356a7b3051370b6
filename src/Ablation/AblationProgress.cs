namespace HotDistance.Ablation;

/// <summary>
/// Where the whole grid stands: cells finished (<see cref="CellsReused"/> of them found finished from an earlier run),
/// the cell training now and its step, and an estimate of the time left from this run's own pace (steps trained per
/// second of wall time, scoring included); null until this run has trained a step.
/// </summary>
public sealed record AblationProgress(
    int CellsTotal,
    int CellsDone,
    int CellsReused,
    AblationCell? Current,
    string Phase,
    int Step,
    int TotalSteps,
    TimeSpan? Eta,
    CellResult? Finished = null);
