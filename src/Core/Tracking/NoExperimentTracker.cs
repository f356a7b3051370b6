namespace HotDistance.Core.Tracking;

/// <summary>Tracking off (no tracking server configured): every call returns at once and does nothing.</summary>
public sealed class NoExperimentTracker : IExperimentTracker
{
    public static NoExperimentTracker Instance { get; } = new();

    public ITrackedRun Start(TrackedRunSpec run) => UntrackedRun.Instance;

    private sealed class UntrackedRun : ITrackedRun
    {
        public static UntrackedRun Instance { get; } = new();

        public void LogMetric(string key, double value, long step)
        {
        }

        public Task<string?> EndAsync(TrackedRunOutcome outcome, string? reason, IReadOnlyList<TrackedArtifact> artifacts) => Task.FromResult<string?>(null);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
