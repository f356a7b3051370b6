namespace HotDistance.Catalog.Status;

/// <summary>
/// A job's states in the only order they may change: the catalog stores each with its rank and never lowers it,
/// so a progress report that arrives after the job finished cannot make it "running" again.
/// </summary>
public static class JobStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Done = "done";

    /// <summary>
    /// The job's consumer gave up (its message is in the error queue). Ranked as running: a retry that reports a
    /// later step, or finishes, replaces it.
    /// </summary>
    public const string Failed = "failed";

    /// <summary>An attempt failed and the job is being tried again; ranked as running, like <see cref="Failed"/>.</summary>
    public const string Retrying = "retrying";

    public const int QueuedRank = 0;
    public const int RunningRank = 1;
    public const int DoneRank = 2;
}
