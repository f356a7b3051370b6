using System.Net;
using System.Threading.Channels;
using HotDistance.Core.Tracking;
using Microsoft.Extensions.Logging;

namespace HotDistance.Mlflow;

/// <summary>
/// One run on the MLflow server, worked by a background loop so the caller never waits on the server: the loop
/// finds or creates the run, sets its parameters and tags, then sends the buffered metrics every
/// <see cref="MlflowTrackingOptions.FlushInterval"/> in log-batch requests of at most 1000. While the server does
/// not answer, metrics stay in a bounded buffer (the oldest dropped beyond <see cref="MlflowTrackingOptions.BufferCapacity"/>)
/// and the loop tries again, less and less often; once it answers, everything held is sent, so nothing is lost
/// while the server is up. A reopened run does not log a metric again at a step it already has (a resumed job
/// retrains the steps since its last checkpoint; the run keeps the first record of each).
/// </summary>
internal sealed class MlflowTrackedRun : ITrackedRun
{
    /// <summary>Why a failed or killed run ended.</summary>
    public const string FailureTag = "hd.failure";

    /// <summary>Why the run's previous attempt failed, kept when the run is reopened for a retry.</summary>
    public const string PreviousFailureTag = "hd.previous_failure";

    private readonly MlflowExperimentTracker tracker;
    private readonly TrackedRunSpec spec;
    private readonly Channel<MlflowMetric> buffer;
    private readonly TaskCompletionSource<EndRequest> endRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource abandon = new();
    private readonly Lock gate = new();
    private readonly Task loop;
    private Task<string?>? ending;
    private MlflowRun? run;
    private long dropped;
    private long refused;

    public MlflowTrackedRun(MlflowExperimentTracker tracker, TrackedRunSpec spec)
    {
        this.tracker = tracker;
        this.spec = spec;
        buffer = Channel.CreateBounded<MlflowMetric>(
            new BoundedChannelOptions(tracker.Options.BufferCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref dropped));
        loop = Task.Run(RunAsync);
    }

    private MlflowClient Client => tracker.Client;

    private ILogger Logger => tracker.Logger;

    public void LogMetric(string key, double value, long step)
    {
        if (double.IsFinite(value))
        {
            buffer.Writer.TryWrite(new MlflowMetric(key, value, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), step));
        }
    }

    public Task<string?> EndAsync(TrackedRunOutcome outcome, string? reason, IReadOnlyList<TrackedArtifact> artifacts)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        lock (gate)
        {
            return ending ??= EndOnceAsync(new EndRequest(outcome, reason, artifacts));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await EndAsync(TrackedRunOutcome.Killed, "the run was left without an outcome", []).ConfigureAwait(false);
        abandon.Dispose();
    }

    private async Task<string?> EndOnceAsync(EndRequest end)
    {
        buffer.Writer.TryComplete();
        endRequested.TrySetResult(end);
        if (await Task.WhenAny(loop, Task.Delay(tracker.Options.EndTimeout)).ConfigureAwait(false) != loop)
        {
            Logger.LogWarning(
                "MLflow tracking of {Run}: the server did not take its end within {Timeout}; its unsent metrics, artifacts and status are given up",
                spec.Name, tracker.Options.EndTimeout);
            await abandon.CancelAsync().ConfigureAwait(false);
            await loop.ConfigureAwait(false);
        }

        return Volatile.Read(ref run)?.RunId;
    }

    /// <summary>
    /// The loop. Tracking must never fail the work it records, so every failure is caught here: one the server may
    /// get over (no answer, 5xx, 429) is tried again; one it will not (a 4xx refusal) gives up what it concerned.
    /// </summary>
    private async Task RunAsync()
    {
        var token = abandon.Token;
        var pending = new List<MlflowMetric>(MlflowClient.MaxMetricsPerBatch);
        var latestSteps = new Dictionary<string, long>(StringComparer.Ordinal);
        string? openedStatus = null;
        var failures = 0;
        while (true)
        {
            if (token.IsCancellationRequested)
            {
                ReportLost(pending, "the run's end was not taken in time");
                return;
            }

            var end = endRequested.Task.IsCompleted ? await endRequested.Task.ConfigureAwait(false) : null;
            try
            {
                if (Volatile.Read(ref run) is null)
                {
                    var opened = await OpenAsync(token).ConfigureAwait(false);
                    openedStatus = opened.Status;
                    foreach (var metric in opened.LatestMetrics)
                    {
                        latestSteps[metric.Key] = metric.Step;
                    }

                    Volatile.Write(ref run, opened);
                }

                await FlushAsync(pending, latestSteps, token).ConfigureAwait(false);
                if (failures > 0)
                {
                    Logger.LogInformation("MLflow tracking of {Run}: {Uri} answers again; the held metrics were sent", spec.Name, Client.DisplayUri);
                }

                failures = 0;
                if (end is not null)
                {
                    await FinishAsync(run!, openedStatus, end, token).ConfigureAwait(false);
                    ReportLost(pending, "it was not sent");
                    return;
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                ReportLost(pending, "the run's end was not taken in time");
                return;
            }
#pragma warning disable CA1031 // Tracking is best effort: no failure of it may reach the work it records.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                failures++;
                if (run is null && IsRefusal(exception))
                {
                    Logger.LogWarning(
                        "MLflow tracking of {Run}: {Uri} refused the run ({Reason}); it is not tracked, the work goes on",
                        spec.Name, Client.DisplayUri, exception.Message);
                    buffer.Writer.TryComplete();
                    ReportLost(pending, "the run was refused");
                    return;
                }

                if (end is not null)
                {
                    Logger.LogWarning(
                        "MLflow tracking of {Run}: {Uri} did not answer at the run's end ({Reason}); {What} given up",
                        spec.Name, Client.DisplayUri, exception.Message, run is null ? "the run, its metrics and artifacts are" : "its status, unsent metrics and artifacts are");
                    ReportLost(pending, "the server did not answer");
                    return;
                }

                if (failures == 1)
                {
                    Logger.LogWarning(
                        "MLflow tracking of {Run}: {Uri} does not answer ({Reason}); up to {Capacity} metrics are held and sent when it does, the work goes on",
                        spec.Name, Client.DisplayUri, exception.Message, tracker.Options.BufferCapacity);
                }
            }

            var wait = failures == 0 ? tracker.Options.FlushInterval : Backoff(failures);
            await Task.WhenAny(Task.Delay(wait, token), endRequested.Task).ConfigureAwait(false);
        }
    }

    /// <summary>Finds or creates the run, reopens it when a previous attempt failed, and sets its parameters and tags.</summary>
    private async Task<MlflowRun> OpenAsync(CancellationToken token)
    {
        var found = await tracker.FindOrCreateAsync(spec, token).ConfigureAwait(false);
        var tags = new Dictionary<string, string>(spec.Tags, StringComparer.Ordinal);
        if (found.Status is "FAILED" or "KILLED")
        {
            // A retry or a resume: the run is this job's again. The old reason stays, as the previous attempt's.
            if (found.Tags.TryGetValue(FailureTag, out var previous))
            {
                tags[PreviousFailureTag] = previous;
                await Client.DeleteRunTagAsync(found.RunId, FailureTag, token).ConfigureAwait(false);
            }

            await Client.UpdateRunStatusAsync(found.RunId, MlflowRunStatus.Running, token).ConfigureAwait(false);
        }

        if (spec.Parameters.Count > 0)
        {
            try
            {
                await Client.LogBatchAsync(found.RunId, spec.Parameters, null, null, token).ConfigureAwait(false);
            }
            catch (MlflowApiException e) when (e.ErrorCode == "INVALID_PARAMETER_VALUE")
            {
                // MLflow never changes a parameter: a retry on a runner configured otherwise keeps the first values.
                Logger.LogWarning("MLflow tracking of {Run}: its parameters differ from those it was started with; the run keeps the first: {Reason}", spec.Name, e.ServerMessage);
            }
        }

        if (tags.Count > 0)
        {
            await Client.LogBatchAsync(found.RunId, null, null, MlflowTagValues.Limited(tags), token).ConfigureAwait(false);
        }

        return found;
    }

    /// <summary>Sends every buffered metric not already in the run, 1000 a request; what a failed request held stays in <paramref name="pending"/>.</summary>
    private async Task FlushAsync(List<MlflowMetric> pending, Dictionary<string, long> latestSteps, CancellationToken token)
    {
        var runId = run!.RunId;
        while (true)
        {
            while (pending.Count < MlflowClient.MaxMetricsPerBatch && buffer.Reader.TryRead(out var metric))
            {
                if (!latestSteps.TryGetValue(metric.Key, out var logged) || metric.Step > logged)
                {
                    pending.Add(metric);
                }
            }

            if (pending.Count == 0)
            {
                return;
            }

            try
            {
                await Client.LogMetricsAsync(runId, pending, token).ConfigureAwait(false);
            }
            catch (MlflowApiException e) when (IsRefusal(e))
            {
                // Sending it again would be refused again, and would hold up every metric behind it.
                Interlocked.Add(ref refused, pending.Count);
                Logger.LogWarning("MLflow tracking of {Run}: {Uri} refused {Count} metrics: {Reason}", spec.Name, Client.DisplayUri, pending.Count, e.Message);
            }

            pending.Clear();
        }
    }

    private async Task FinishAsync(MlflowRun opened, string? openedStatus, EndRequest end, CancellationToken token)
    {
        var root = MlflowArtifactPaths.RunRoot(opened);
        foreach (var artifact in end.Artifacts)
        {
            byte[] content;
            try
            {
                content = artifact.Content();
            }
#pragma warning disable CA1031 // An artifact that cannot be read or drawn is left out; the run still ends.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Logger.LogWarning("MLflow tracking of {Run}: {Artifact} was not attached: {Reason}", spec.Name, artifact.Name, exception.Message);
                continue;
            }

            try
            {
                await Client.UploadArtifactAsync(MlflowArtifactPaths.Combine(root, artifact.Name), content, token).ConfigureAwait(false);
            }
            catch (MlflowApiException e) when (IsRefusal(e))
            {
                // A server that does not proxy artifacts refuses every upload; the run still gets its status.
                Logger.LogWarning("MLflow tracking of {Run}: {Uri} refused {Artifact}: {Reason}", spec.Name, Client.DisplayUri, artifact.Name, e.Message);
            }
        }

        if (end.Outcome != TrackedRunOutcome.Finished && end.Reason is { } reason)
        {
            await Client.LogBatchAsync(opened.RunId, null, null, MlflowTagValues.Limited(new Dictionary<string, string>(StringComparer.Ordinal) { [FailureTag] = reason }), token).ConfigureAwait(false);
        }

        // A finished run reopened only to be announced again (a redelivered job) keeps the end it had.
        if (!(openedStatus == "FINISHED" && end.Outcome == TrackedRunOutcome.Finished))
        {
            var status = end.Outcome switch
            {
                TrackedRunOutcome.Finished => MlflowRunStatus.Finished,
                TrackedRunOutcome.Failed => MlflowRunStatus.Failed,
                _ => MlflowRunStatus.Killed,
            };
            await Client.UpdateRunStatusAsync(opened.RunId, status, token).ConfigureAwait(false);
        }
    }

    /// <summary>Says how many metrics never reached the server, if any did not.</summary>
    private void ReportLost(List<MlflowMetric> pending, string why)
    {
        var unsent = pending.Count;
        while (buffer.Reader.TryRead(out _))
        {
            unsent++;
        }

        var overflow = Interlocked.Read(ref dropped);
        var lost = unsent + overflow + Interlocked.Read(ref refused);
        if (lost > 0)
        {
            Logger.LogWarning(
                "MLflow tracking of {Run}: {Lost} metrics were not recorded ({Unsent} unsent: {Why}; {Overflow} dropped from the full buffer; {Refused} refused by the server)",
                spec.Name, lost, unsent, why, overflow, Interlocked.Read(ref refused));
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var wait = tracker.Options.FlushInterval * Math.Pow(2, Math.Min(failures, 16));
        return wait < tracker.Options.MaxRetryInterval ? wait : tracker.Options.MaxRetryInterval;
    }

    /// <summary>A failure the server will not get over by itself: a 4xx other than 408 and 429, or a deleted experiment.</summary>
    private static bool IsRefusal(Exception exception) => exception switch
    {
        MlflowApiException { Status: { } status } => (int)status is >= 400 and < 500 && status is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests),
        InvalidOperationException => true,
        _ => false,
    };

    private sealed record EndRequest(TrackedRunOutcome Outcome, string? Reason, IReadOnlyList<TrackedArtifact> Artifacts);
}
