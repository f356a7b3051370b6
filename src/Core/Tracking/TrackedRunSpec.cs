namespace HotDistance.Core.Tracking;

/// <summary>
/// What a tracked run is. <see cref="Key"/> is its domain key, stored as tags (e.g. <c>hd.kind</c>,
/// <c>hd.generation</c>, <c>hd.variant</c>): a run with the same key is found and reused, never duplicated, so a
/// redelivered or resumed job logs to the run it started.
/// </summary>
public sealed record TrackedRunSpec(string Name, IReadOnlyDictionary<string, string> Key)
{
    /// <summary>The run this one is nested under (found or created first), or null for a top-level run.</summary>
    public TrackedRunSpec? Parent { get; init; }

    /// <summary>
    /// A folder whose <see cref="IO.DirectoryLock"/> is held while the run is looked for and created, so that
    /// processes sharing the workspace never both create it; null when the caller already holds the lock that
    /// serialises this work (a training job's job lock, an evaluation's lock).
    /// </summary>
    public string? LockDirectory { get; init; }

    /// <summary>Tags set (again) each time the run is opened, besides the key.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
}
