namespace HotDistance.Core.Tracking;

/// <summary>One tracked run: metrics are buffered and sent in batches off the caller's thread.</summary>
public interface ITrackedRun : IAsyncDisposable
{
    /// <summary>Queues a metric; never blocks (the caller may be a training thread). Non-finite values are not logged.</summary>
    void LogMetric(string key, double value, long step);

    /// <summary>
    /// Sends what is buffered, uploads <paramref name="artifacts"/> and ends the run with <paramref name="outcome"/>
    /// (and <paramref name="reason"/>, when it failed), waiting a bounded time for the server. Returns the run's id,
    /// or null when the run could not be found or created (tracking off, or the server never answered). Later calls
    /// return the same id and change nothing.
    /// </summary>
    Task<string?> EndAsync(TrackedRunOutcome outcome, string? reason, IReadOnlyList<TrackedArtifact> artifacts);
}
