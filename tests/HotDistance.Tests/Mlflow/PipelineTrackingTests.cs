using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Tracking;
using HotDistance.Core.Volumes;
using HotDistance.Core.Workspace;
using HotDistance.Hosting;
using HotDistance.Mlflow;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Pipeline;
using HotDistance.Trainer;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDistance.Tests.Mlflow;

/// <summary>
/// A pipeline tracking its work in MLflow (the in-process fake): the shared scenarios, a job resumed after its
/// host stopped mid-training, and a tracking server that is down.
/// </summary>
public sealed class PipelineTrackingTests : IDisposable
{
    private readonly FakeMlflowServer server = new();
    private readonly TempDirectory temp = new();
    private readonly MlflowClient client;
    private readonly TrackingScenarios scenarios;

    public PipelineTrackingTests()
    {
        client = new MlflowClient(new MlflowClientOptions { TrackingUri = server.Uri });
        scenarios = new TrackingScenarios(new HostSettings { Pipeline = new Core.PipelineSettings { Workspace = "unused" }, MlflowTrackingUri = server.Uri }, client, temp);
    }

    public void Dispose()
    {
        client.Dispose();
        server.Dispose();
        temp.Dispose();
    }

    [Fact]
    public Task Generations_are_nested_runs_and_the_registered_version_links_to_its_training_run() =>
        scenarios.GenerationsAreNestedRunsAndTheRegisteredVersionLinksToItsTrainingRun();

    [Fact]
    public Task A_diverged_job_ends_its_run_failed_with_the_reason() => scenarios.ADivergedJobEndsItsRunFailedWithTheReason();

    [Fact]
    public Task A_job_out_of_retries_ends_its_generations_run_failed() => scenarios.AJobOutOfRetriesEndsItsGenerationsRunFailed();

    [Fact]
    public async Task A_job_resumed_after_its_host_stopped_logs_to_the_same_run_and_each_step_once()
    {
        const int Steps = 300;
        var (settings, experiment) = scenarios.Settings("resume");
        settings = settings with { Trainer = settings.Trainer with { Training = settings.Trainer.Training with { Steps = Steps, CheckpointEvery = 50 } } };
        var workspace = new WorkspaceLayout(settings.Pipeline.Workspace);
        var store = new CropStore(workspace.Crops, settings.Pipeline.HeldOutFraction);
        var crop = SyntheticCropGenerator.Generate(new SyntheticCropSpec("train", 2, new Shape3(24, 24, 24), VoxelSize.Isotropic(8), SyntheticCropGenerator.Classes));
        var cropId = (await store.AddAsync(crop, CropSplits.Train, default)).Entry.CropId;
        var request = new TrainingRequested("gen-0001", 1, Variants.OneHot, Variants.All, [cropId], [cropId], settings.Pipeline.Classes, null, DateTimeOffset.UtcNow);

        // Sent every 20 ms, so the run holds steps beyond the last checkpoint when the host stops.
        var options = new MlflowTrackingOptions { Experiment = experiment, FlushInterval = TimeSpan.FromMilliseconds(20) };
        // In a task of its own: resolving the bus sets MassTransit's log context (an AsyncLocal) to this host's
        // logger factory, which would otherwise flow on to the second host after this one disposed it.
        var runId = await Task.Run(async () =>
        {
            using var first = StartTrainer(settings, options, new PipelineEvents());
            await first.StartAsync();
            try
            {
                await first.Services.GetRequiredService<IBus>().Publish(request);
                await Eventually.Until(
                    async () => await TrainingRunAsync(experiment) is { } run && (await client.GetMetricHistoryAsync(run.RunId, TrainingMetrics.Loss, default)).Count >= 80,
                    TimeSpan.FromMinutes(2),
                    "the job to log 80 steps");
                return (await TrainingRunAsync(experiment))!.RunId;
            }
            finally
            {
                await first.StopAsync();
            }
        });

        var stopped = await client.GetRunAsync(runId, default);
        Assert.True(stopped.Status == "KILLED", $"the job was not stopped mid-training (run {stopped.Status}): train longer");
        Assert.Contains("stopped before its last step", stopped.Tags["hd.failure"], StringComparison.Ordinal);

        var events = new PipelineEvents();
        using var second = StartTrainer(settings, options, events);
        await second.StartAsync();
        try
        {
            await second.Services.GetRequiredService<IBus>().Publish(request);
            await Eventually.Until(() => events.Trained.ContainsKey($"gen-0001/{Variants.OneHot}"), TimeSpan.FromMinutes(3), "the resumed job to finish");
        }
        finally
        {
            await second.StopAsync();
        }

        Assert.Equal(runId, events.Trained[$"gen-0001/{Variants.OneHot}"].TrackingRunId);
        var resumed = await client.GetRunAsync(runId, default);
        Assert.Equal("FINISHED", resumed.Status);
        Assert.Contains("stopped before its last step", resumed.Tags["hd.previous_failure"], StringComparison.Ordinal);
        Assert.False(resumed.Tags.ContainsKey("hd.failure"));
        Assert.Equal(Enumerable.Range(1, Steps).Select(s => (long)s), (await client.GetMetricHistoryAsync(runId, TrainingMetrics.Loss, default)).Select(m => m.Step).Order());
        Assert.Single(await client.SearchRunsAsync([stopped.ExperimentId], MlflowClient.FilterByTags(PipelineRuns.TrainingKey("gen-0001", Variants.OneHot)), default));
    }

    [Fact]
    public async Task A_tracking_server_that_is_down_leaves_the_pipeline_to_promote_as_before()
    {
        using var logs = new CapturedLogs();
        var (settings, _) = scenarios.Settings("down");
        settings = settings with { MlflowTrackingUri = new Uri($"http://127.0.0.1:{LoopbackPorts.Reserve(1)[0]}/") };
        var events = new PipelineEvents();
        using var host = PipelineHost.Build(settings, PipelineRoles.All, (services, bus) => PipelineObserver.Register(services, bus, events), l => l.AddProvider(logs));
        await host.StartAsync();
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            await InProcessPipeline.IngestFirstCropsAsync(bus, temp);
            var outcome = events.OutcomeOf("gen-0001");
            Assert.True(await Task.WhenAny(outcome, Task.Delay(TimeSpan.FromMinutes(4))) == outcome, $"gen-0001 was not decided:{Environment.NewLine}{logs.Tail()}");

            Assert.IsType<ModelPromoted>(await outcome);
            Assert.All(Variants.All, v => Assert.Null(events.Trained[$"gen-0001/{v}"].TrackingRunId));
            Assert.Empty(events.FailuresOf("gen-0001"));
            Assert.NotEmpty(logs.Matching("did not answer at the run's end"));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>A host running only the trainer, tracking with <paramref name="options"/> (a shorter flush than the default).</summary>
    private IHost StartTrainer(HostSettings settings, MlflowTrackingOptions options, PipelineEvents events) =>
        PipelineHost.Build(settings, [TrainerRole.Name], (services, bus) =>
        {
            PipelineObserver.Register(services, bus, events);
            services.AddSingleton<IExperimentTracker>(provider => new MlflowExperimentTracker(
                new MlflowClient(new MlflowClientOptions { TrackingUri = server.Uri, MaxAttempts = 2 }),
                options,
                provider.GetRequiredService<ILogger<MlflowExperimentTracker>>()));
        });

    private async Task<MlflowRun?> TrainingRunAsync(string experiment) =>
        await client.GetExperimentIdAsync(experiment, default) is { } id
            ? (await client.SearchRunsAsync([id], MlflowClient.FilterByTags(PipelineRuns.TrainingKey("gen-0001", Variants.OneHot)), default)).SingleOrDefault()
            : null;
}
