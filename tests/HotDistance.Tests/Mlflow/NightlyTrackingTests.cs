using HotDistance.Contracts;
using HotDistance.Core.Tracking;
using HotDistance.Evaluator;
using HotDistance.Evaluator.Nightly;
using HotDistance.Mlflow;
using HotDistance.Tests.Evaluator;
using HotDistance.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotDistance.Tests.Mlflow;

/// <summary>
/// Each nightly re-evaluation is a run in MLflow (the in-process fake): the models' scores and the champion's
/// comparison with its previous night as metrics, the summary as a file; a night that fails ends FAILED with its
/// reason, and running it again (the catch-up) finishes the same run instead of making another.
/// </summary>
public sealed class NightlyTrackingTests : IDisposable
{
    private static readonly NightlySettings Daily = new() { Cron = "0 0 2 * * ?", TimeZone = "UTC", RegressionTolerance = 0.02 };
    private static readonly DateTimeOffset Night = new(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);

    private readonly FakeMlflowServer server = new();
    private readonly TempDirectory temp = new();
    private readonly MlflowClient client;
    private readonly MlflowExperimentTracker tracker;
    private readonly string experiment = $"hd-test-nightly-{Guid.NewGuid():N}"[..32];

    public NightlyTrackingTests()
    {
        client = new MlflowClient(new MlflowClientOptions { TrackingUri = server.Uri });
        tracker = new MlflowExperimentTracker(
            new MlflowClient(new MlflowClientOptions { TrackingUri = server.Uri }),
            new MlflowTrackingOptions { Experiment = experiment },
            NullLogger<MlflowExperimentTracker>.Instance);
    }

    public void Dispose()
    {
        tracker.Dispose();
        client.Dispose();
        server.Dispose();
        temp.Dispose();
    }

    [Fact]
    public async Task A_night_is_a_run_with_its_scores_and_its_comparison_and_a_failed_night_is_finished_by_its_catch_up()
    {
        var key = new NightlySchedule(Daily.Cron, Daily.TimeZone).Key(Night);
        await Assert.ThrowsAsync<IOException>(() => Runner(new FailingNightlyScorer()).RunScheduledAsync(Night, CancellationToken.None));
        var failed = Assert.Single(await NightRunsAsync(key));
        Assert.Equal(("FAILED", $"IOException: {FailingNightlyScorer.Reason}"), (failed.Status, failed.Tags["hd.failure"]));

        var events = new RecordingEvents();
        var runner = Runner(new ScriptedNightlyScorer(0.80, 0.70), events);
        Assert.Equal(NightlyOutcome.Ran, await runner.RunScheduledAsync(Night, CancellationToken.None));
        Assert.Equal(NightlyOutcome.Ran, await runner.RunScheduledAsync(Night.AddDays(1), CancellationToken.None));

        var first = Assert.Single(await NightRunsAsync(key));
        Assert.Equal((failed.RunId, "FINISHED"), (first.RunId, first.Status));
        var second = Assert.Single(await NightRunsAsync(runner.Schedule.Key(Night.AddDays(1))));
        var nights = events.Of<NightlyEvaluationCompleted>();
        foreach (var (run, night) in new[] { (first, nights[0]), (second, nights[1]) })
        {
            var metrics = run.LatestMetrics.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
            foreach (var score in night.Scores)
            {
                Assert.Equal(score.Overall, metrics[$"{(score.Role == ModelRoles.Champion ? EvaluationRuns.ChampionPrefix : score.Variant)}/overall"], 9);
            }

            Assert.Equal(night.ChampionOverall, metrics["champion_overall"]);
            Assert.Equal(night.Regression ? 1 : 0, metrics["regression"]);
            Assert.Equal(night.HeldOutCropIds.Count, metrics["held_out_crops"]);
            var summary = temp.Combine($"summary-{run.RunId}.txt");
            await client.DownloadArtifactAsync(MlflowArtifactPaths.Combine(MlflowArtifactPaths.RunRoot(run), NightlyRuns.SummaryFile), summary, default);
            Assert.Equal(night.Summary + "\n", await File.ReadAllTextAsync(summary));
        }

        // The first night has no baseline; the second fell from 0.80 to 0.70, beyond the tolerance.
        Assert.DoesNotContain(first.LatestMetrics, m => m.Key == "baseline_overall");
        var secondMetrics = second.LatestMetrics.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        Assert.Equal((0.80, 1.0), (secondMetrics["baseline_overall"], secondMetrics["regression"]));
    }

    private NightlyRunner Runner(INightlyModelScorer scorer, RecordingEvents? events = null) =>
        Nightly.Runner(temp.Path, Daily, scorer, events ?? new RecordingEvents(), tracker: tracker);

    private async Task<IReadOnlyList<MlflowRun>> NightRunsAsync(string nightKey)
    {
        var experimentId = await client.GetExperimentIdAsync(experiment, default) ?? throw new InvalidOperationException($"no experiment {experiment}");
        return await client.SearchRunsAsync([experimentId], MlflowClient.FilterByTags(PipelineRuns.NightlyKey(nightKey)), default);
    }
}
