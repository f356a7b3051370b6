using System.Diagnostics;
using HotDistance.Core.Tracking;
using HotDistance.Mlflow;
using HotDistance.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace HotDistance.Tests.Mlflow;

/// <summary>
/// The MLflow tracker on its own, against the fake server: runs found again by their key and nested under their
/// parent, metrics sent in batches within MLflow's limit and never twice at a step, failures recorded with their
/// reason, and a server that fails or is down costing the caller nothing but the record.
/// </summary>
public sealed class ExperimentTrackerTests : IDisposable
{
    private readonly FakeMlflowServer server = new();
    private readonly TempDirectory temp = new();
    private readonly CapturedLogs logs = new();
    private readonly MlflowClient client;

    public ExperimentTrackerTests() => client = new MlflowClient(new MlflowClientOptions { TrackingUri = server.Uri, InitialBackoff = TimeSpan.Zero });

    public void Dispose()
    {
        client.Dispose();
        server.Dispose();
        temp.Dispose();
        logs.Dispose();
    }

    [Fact]
    public async Task Metrics_logged_faster_than_they_are_sent_reach_the_run_in_batches_within_mlflows_limit()
    {
        using var tracker = Tracker(server.Uri, new MlflowTrackingOptions { FlushInterval = TimeSpan.FromHours(1) });
        var run = tracker.Start(Spec("job"));
        for (var step = 1; step <= 2500; step++)
        {
            run.LogMetric("loss", 1.0 / step, step);
        }

        var runId = await run.EndAsync(TrackedRunOutcome.Finished, null, []);

        var history = await client.GetMetricHistoryAsync(runId!, "loss", default);
        Assert.Equal(Enumerable.Range(1, 2500).Select(s => (long)s), history.Select(m => m.Step).Order());
        // Sent as they were taken: most likely 1000, 1000, 500, or with a first batch of what was logged while the run opened.
        Assert.All(server.MetricBatchSizes, size => Assert.InRange(size, 1, 1000));
        Assert.InRange(server.MetricBatchSizes.Count, 3, 4);
        Assert.Equal("FINISHED", (await client.GetRunAsync(runId!, default)).Status);
    }

    [Fact]
    public async Task A_run_is_found_again_by_its_key_under_its_parent_and_never_made_twice()
    {
        using var tracker = Tracker(server.Uri);
        var generation = new TrackedRunSpec("gen-0001", new Dictionary<string, string> { [PipelineRuns.KindTag] = PipelineRuns.GenerationKind, [PipelineRuns.GenerationTag] = "gen-0001" })
        {
            LockDirectory = temp.Combine("generation"),
        };
        var job = Spec("job") with { Parent = generation, Parameters = new Dictionary<string, string> { ["steps"] = "4" } };

        var first = await tracker.Start(job).EndAsync(TrackedRunOutcome.Finished, null, []);
        var again = await tracker.Start(job).EndAsync(TrackedRunOutcome.Finished, null, []);
        var other = await tracker.Start(job with { Key = Key("other") }).EndAsync(TrackedRunOutcome.Finished, null, []);

        Assert.NotNull(first);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        var experiment = (await client.GetExperimentIdAsync(MlflowTrackingOptions.DefaultExperiment, default))!;
        var parent = Assert.Single(await client.SearchRunsAsync([experiment], MlflowClient.FilterByTags(generation.Key), default));
        var run = await client.GetRunAsync(first!, default);
        Assert.Equal(parent.RunId, run.Tags[MlflowExperimentTracker.ParentRunTag]);
        Assert.Equal(parent.RunId, (await client.GetRunAsync(other!, default)).Tags[MlflowExperimentTracker.ParentRunTag]);
        Assert.Equal("4", run.Parameters["steps"]);
        Assert.Equal(3, server.RunCount);
    }

    [Fact]
    public async Task A_failed_run_ends_failed_with_its_reason_and_a_retry_reopens_it_without_logging_a_step_twice()
    {
        using var tracker = Tracker(server.Uri);
        var first = tracker.Start(Spec("job"));
        for (var step = 1; step <= 5; step++)
        {
            first.LogMetric("loss", step, step);
        }

        var runId = await first.EndAsync(TrackedRunOutcome.Failed, "IOException: the share went away", []);
        var failed = await client.GetRunAsync(runId!, default);
        Assert.Equal("FAILED", failed.Status);
        Assert.Equal("IOException: the share went away", failed.Tags["hd.failure"]);

        // The retry resumes from a checkpoint at step 2, so it trains steps 3 to 5 again.
        var retry = tracker.Start(Spec("job"));
        for (var step = 3; step <= 8; step++)
        {
            retry.LogMetric("loss", 10 * step, step);
        }

        Assert.Equal(runId, await retry.EndAsync(TrackedRunOutcome.Finished, null, [new TrackedArtifact("loss.png", () => [1, 2, 3])]));
        var finished = await client.GetRunAsync(runId!, default);
        Assert.Equal("FINISHED", finished.Status);
        Assert.False(finished.Tags.ContainsKey("hd.failure"));
        Assert.Equal("IOException: the share went away", finished.Tags["hd.previous_failure"]);
        var history = await client.GetMetricHistoryAsync(runId!, "loss", default);
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7, 8], history.Select(m => m.Step).Order());
        Assert.Equal([1, 2, 3], server.Artifacts[$"{failed.ExperimentId}/{runId}/artifacts/loss.png"]);
        Assert.Equal(1, server.RunCount);
    }

    [Fact]
    public async Task Metrics_held_while_the_server_fails_are_all_sent_once_it_answers_again()
    {
        using var tracker = Tracker(server.Uri, new MlflowTrackingOptions { FlushInterval = TimeSpan.FromMilliseconds(20), MaxRetryInterval = TimeSpan.FromMilliseconds(50) });
        var run = tracker.Start(Spec("job"));
        run.LogMetric("loss", 0, 0);
        await Eventually.Until(() => server.MetricBatchSizes.Count == 1, TimeSpan.FromSeconds(30), "the run to open and take its first metric");

        server.FailNext(4, 503, """{"error_code":"TEMPORARILY_UNAVAILABLE","message":"down for maintenance"}""");
        for (var step = 1; step <= 300; step++)
        {
            run.LogMetric("loss", step, step);
        }

        await Eventually.Until(() => server.Requests.Count(r => r.Status == 503) == 4, TimeSpan.FromSeconds(30), "the fake to refuse four requests");
        var runId = await run.EndAsync(TrackedRunOutcome.Finished, null, []);

        Assert.Equal(301, (await client.GetMetricHistoryAsync(runId!, "loss", default)).Count);
        Assert.NotEmpty(logs.Matching("does not answer"));
        Assert.NotEmpty(logs.Matching("answers again"));
        Assert.Empty(logs.Matching("were not recorded"));
    }

    [Fact]
    public async Task A_server_that_is_down_never_holds_up_the_caller_and_the_end_says_what_was_lost()
    {
        var closed = new Uri($"http://127.0.0.1:{LoopbackPorts.Reserve(1)[0]}/");
        using var tracker = Tracker(closed, new MlflowTrackingOptions { BufferCapacity = 1000, FlushInterval = TimeSpan.FromMilliseconds(20), EndTimeout = TimeSpan.FromSeconds(20) });
        var run = tracker.Start(Spec("job"));

        var logging = Stopwatch.StartNew();
        for (var step = 1; step <= 200_000; step++)
        {
            run.LogMetric("loss", step, step);
        }

        logging.Stop();
        var ending = Stopwatch.StartNew();
        var runId = await run.EndAsync(TrackedRunOutcome.Finished, null, [new TrackedArtifact("loss.png", () => throw new InvalidOperationException("must not be drawn for nobody"))]);

        Assert.Null(runId);
        Assert.True(logging.Elapsed < TimeSpan.FromSeconds(2), $"logging 200,000 metrics to a server that is down took {logging.Elapsed}");
        Assert.True(ending.Elapsed < TimeSpan.FromSeconds(15), $"ending took {ending.Elapsed}");
        var lost = Assert.Single(logs.Matching("were not recorded"));
        Assert.Contains("200000 metrics were not recorded", lost, StringComparison.Ordinal);
        Assert.Contains("199000 dropped from the full buffer", lost, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_the_server_refuses_is_given_up_at_once_and_the_work_goes_on()
    {
        using var tracker = Tracker(server.Uri);
        server.FailNext(1, 403, """{"error_code":"PERMISSION_DENIED","message":"Permission denied"}""");
        var run = tracker.Start(Spec("job"));
        run.LogMetric("loss", 1, 1);

        Assert.Null(await run.EndAsync(TrackedRunOutcome.Finished, null, []));
        Assert.NotEmpty(logs.Matching("refused the run"));
        Assert.Equal(0, server.RunCount);
    }

    [Fact]
    public async Task A_server_that_refuses_artifacts_still_gets_the_runs_end()
    {
        using var tracker = Tracker(server.Uri);
        server.ServesArtifacts = false;
        var run = tracker.Start(Spec("job"));
        run.LogMetric("loss", 1, 1);

        var runId = await run.EndAsync(TrackedRunOutcome.Failed, "diverged", [new TrackedArtifact("loss.png", () => [1])]);

        var ended = await client.GetRunAsync(runId!, default);
        Assert.Equal("FAILED", ended.Status);
        Assert.Equal("diverged", ended.Tags["hd.failure"]);
        Assert.NotEmpty(logs.Matching("refused loss.png"));
    }

    private MlflowExperimentTracker Tracker(Uri uri, MlflowTrackingOptions? options = null)
    {
        var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        return new MlflowExperimentTracker(
            new MlflowClient(new MlflowClientOptions { TrackingUri = uri, MaxAttempts = 1, RequestTimeout = TimeSpan.FromSeconds(5) }),
            options ?? new MlflowTrackingOptions(),
            factory.CreateLogger<MlflowExperimentTracker>());
    }

    private static TrackedRunSpec Spec(string name) => new(name, Key(name));

    private static Dictionary<string, string> Key(string variant) =>
        new() { [PipelineRuns.KindTag] = PipelineRuns.TrainingKind, [PipelineRuns.GenerationTag] = "gen-0001", [PipelineRuns.VariantTag] = variant };
}
