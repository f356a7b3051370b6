using HotDistance.Core.IO;
using HotDistance.Core.Tracking;
using Microsoft.Extensions.Logging;

namespace HotDistance.Mlflow;

/// <summary>
/// Tracks the pipeline's runs in one MLflow experiment (<see cref="MlflowTrackingOptions.Experiment"/>), nested
/// through MLflow's <c>mlflow.parentRunId</c> tag.
/// </summary>
/// <remarks>
/// The idempotency rule: a run is found again by its domain key (<see cref="TrackedRunSpec.Key"/>, stored as tags)
/// with runs/search over the experiment's active runs, and created only when none matches; when several match,
/// the oldest is used. Finding and creating happen under a workspace lock that serialises every creator of that
/// run (the spec's <see cref="TrackedRunSpec.LockDirectory"/>, or the lock the caller already holds: a training
/// job's job lock, an evaluation's lock), so a redelivered, retried or resumed job, on this runner or another
/// sharing the workspace, reopens its run and never makes a second one. Nothing is stored beside the work: a crash
/// between creating a run and using it leaves a run the next attempt finds by its key.
/// </remarks>
public sealed class MlflowExperimentTracker(MlflowClient client, MlflowTrackingOptions options, ILogger<MlflowExperimentTracker> logger) : IExperimentTracker, IDisposable
{
    /// <summary>MLflow's tag for the run a run is nested under; its UI draws the nesting from it.</summary>
    public const string ParentRunTag = "mlflow.parentRunId";

    private string? experimentId;

    internal MlflowClient Client => client;

    internal MlflowTrackingOptions Options => options;

    internal ILogger Logger => logger;

    public ITrackedRun Start(TrackedRunSpec run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new MlflowTrackedRun(this, run);
    }

    public void Dispose() => client.Dispose();

    /// <summary>The run with <paramref name="spec"/>'s key (its parent found or created first), created when there is none.</summary>
    internal async Task<MlflowRun> FindOrCreateAsync(TrackedRunSpec spec, CancellationToken cancellationToken)
    {
        var experiment = Volatile.Read(ref experimentId) ?? await client.GetOrCreateExperimentAsync(options.Experiment, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref experimentId, experiment);
        var parent = spec.Parent is { } parentSpec ? await FindOrCreateAsync(parentSpec, cancellationToken).ConfigureAwait(false) : null;
        using var gate = spec.LockDirectory is { } directory ? await DirectoryLock.AcquireAsync(directory, cancellationToken).ConfigureAwait(false) : null;
        var existing = await client.SearchRunsAsync([experiment], MlflowClient.FilterByTags(spec.Key), cancellationToken).ConfigureAwait(false);
        if (existing.Count > 0)
        {
            return existing.OrderBy(r => r.StartTime).ThenBy(r => r.RunId, StringComparer.Ordinal).First();
        }

        var tags = new Dictionary<string, string>(spec.Tags, StringComparer.Ordinal);
        foreach (var (key, value) in spec.Key)
        {
            tags[key] = value;
        }

        if (parent is not null)
        {
            tags[ParentRunTag] = parent.RunId;
        }

        return await client.CreateRunAsync(experiment, spec.Name, tags, cancellationToken).ConfigureAwait(false);
    }
}
