using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.Tracking;
using HotDistance.Evaluator;
using HotDistance.Hosting;
using HotDistance.Mlflow;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Pipeline;
using HotDistance.Trainer;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HotDistance.Tests.Mlflow;

/// <summary>
/// What tracking a pipeline must leave in MLflow, written once against MLflow's REST API only, so it runs on the
/// in-process fake and, when MLFLOW_TRACKING_URI is set, on a real tracking server. <paramref name="server"/> holds
/// the server's address and credentials; each scenario uses an experiment and a model name of its own.
/// </summary>
internal sealed class TrackingScenarios(HostSettings server, MlflowClient client, TempDirectory temp)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan GenerationLimit = TimeSpan.FromMinutes(4);

    /// <summary>
    /// Two generations on the in-process pipeline (the second has a champion to compare with), then a redelivered
    /// training request: each generation is one run holding its three training runs and its evaluation run, the
    /// registered version links to the winner's training run, and the redelivery reuses its job's run.
    /// </summary>
    public async Task GenerationsAreNestedRunsAndTheRegisteredVersionLinksToItsTrainingRun()
    {
        var (settings, experiment) = Settings("scenario");
        settings = settings with { Registry = "mlflow" };
        var events = new PipelineEvents();
        using var host = PipelineHost.Build(settings, PipelineRoles.All, (services, bus) => PipelineObserver.Register(services, bus, events));
        await host.StartAsync();
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            await bus.Publish(new IngestRequested(InProcessPipeline.WriteCrop(temp, "held", seed: 1), CropSplits.HeldOut, DateTimeOffset.UtcNow));
            await bus.Publish(new IngestRequested(InProcessPipeline.WriteCrop(temp, "train-1", seed: 2), CropSplits.Train, DateTimeOffset.UtcNow));
            Assert.IsType<ModelPromoted>(await Within(events.OutcomeOf("gen-0001"), "gen-0001 to be promoted"));
            await bus.Publish(new IngestRequested(InProcessPipeline.WriteCrop(temp, "train-2", seed: 3), CropSplits.Train, DateTimeOffset.UtcNow));
            await Within(events.OutcomeOf("gen-0002"), "a decision on gen-0002");

            var experimentId = (await client.GetExperimentIdAsync(experiment, None))!;
            var store = new CropStore(Path.Combine(settings.Pipeline.Workspace, "crops"), settings.Pipeline.HeldOutFraction);
            foreach (var (generation, number) in new[] { ("gen-0001", 1), ("gen-0002", 2) })
            {
                var generationRun = Assert.Single(await Search(experimentId, PipelineRuns.GenerationTag, generation, PipelineRuns.GenerationKind));
                Assert.Equal("FINISHED", generationRun.Status);
                var evaluation = await events.EvaluationOf(generation);
                Assert.Equal(evaluation.Winner?.Variant ?? "none", generationRun.Tags["hd.winner"]);

                var trainingRuns = await Search(experimentId, PipelineRuns.GenerationTag, generation, PipelineRuns.TrainingKind);
                Assert.Equal(Variants.All.Order(StringComparer.Ordinal), trainingRuns.Select(r => r.Tags[PipelineRuns.VariantTag]).Order(StringComparer.Ordinal));
                foreach (var run in trainingRuns)
                {
                    var variant = run.Tags[PipelineRuns.VariantTag];
                    var trained = events.Trained[$"{generation}/{variant}"];
                    await AssertTrainingRunAsync(run, generationRun, trained, settings, store, number == 1 ? "none" : CheckpointReferences.Trained("gen-0001", variant));
                }

                var evaluationRun = Assert.Single(await Search(experimentId, PipelineRuns.GenerationTag, generation, PipelineRuns.EvaluationKind));
                await AssertEvaluationRunAsync(evaluationRun, generationRun, evaluation, withChampion: number == 2);
            }

            foreach (var promotion in events.Promotions)
            {
                var version = (await client.GetModelVersionAsync(promotion.ModelName, promotion.Version, None))!;
                var trainingRun = Assert.Single(await client.SearchRunsAsync(
                    [experimentId], MlflowClient.FilterByTags(PipelineRuns.TrainingKey(promotion.GenerationId, promotion.Variant)), None));
                Assert.Equal(trainingRun.RunId, version.RunId);
                Assert.Equal(MlflowArtifactPaths.ToUri(MlflowArtifactPaths.Combine(MlflowArtifactPaths.RunRoot(trainingRun), MlflowModelRegistry.ArtifactFolder)), version.Source);
                Assert.Equal(trainingRun.RunId, version.Tags[PipelineRuns.TrainingRunTag]);
            }

            // At-least-once delivery: the request comes again after its job finished; it is announced again from its run.
            var original = events.Trained[$"gen-0002/{Variants.HotDistance}"];
            await bus.Publish(new TrainingRequested(
                "gen-0002", 2, Variants.HotDistance, Variants.All, original.TrainingCropIds, [], settings.Pipeline.Classes,
                CheckpointReferences.Trained("gen-0001", Variants.HotDistance), DateTimeOffset.UtcNow));
            await Eventually.Until(() => !ReferenceEquals(events.Trained[$"gen-0002/{Variants.HotDistance}"], original), TimeSpan.FromMinutes(1), "the redelivered request to be announced again");
            Assert.Equal(original.TrackingRunId, events.Trained[$"gen-0002/{Variants.HotDistance}"].TrackingRunId);
            Assert.Equal(3, (await Search(experimentId, PipelineRuns.GenerationTag, "gen-0002", PipelineRuns.TrainingKind)).Count);
            var reused = await client.GetRunAsync(original.TrackingRunId!, None);
            Assert.Equal("FINISHED", reused.Status);
            Assert.Equal([1L, 2, 3, 4], (await client.GetMetricHistoryAsync(reused.RunId, TrainingMetrics.Loss, None)).Select(m => m.Step).Order());
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>A job whose training diverges ends its run FAILED with the reason, and fails its generation's run.</summary>
    public async Task ADivergedJobEndsItsRunFailedWithTheReason()
    {
        var (settings, experiment) = Settings("diverged");
        settings = settings with
        {
            Trainer = settings.Trainer with
            {
                Training = settings.Trainer.Training with { LearningRate = 1e37, LearningRateDecayFraction = 0, MaxNonFiniteSteps = 1, Steps = 20 },
            },
        };
        var events = new PipelineEvents();
        using var host = PipelineHost.Build(settings, PipelineRoles.All, (services, bus) => PipelineObserver.Register(services, bus, events));
        await host.StartAsync();
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            await InProcessPipeline.IngestFirstCropsAsync(bus, temp);
            await Eventually.Until(() => events.FailuresOf("gen-0001").Count == Variants.All.Count, GenerationLimit, "all three jobs of gen-0001 to fail");

            var experimentId = (await client.GetExperimentIdAsync(experiment, None))!;
            IReadOnlyList<MlflowRun> runs = [];
            await Eventually.Until(
                async () => (runs = await Search(experimentId, PipelineRuns.GenerationTag, "gen-0001", PipelineRuns.TrainingKind)).Count == Variants.All.Count && runs.All(r => r.Status == "FAILED"),
                TimeSpan.FromSeconds(30),
                "three FAILED training runs",
                () => string.Join(", ", runs.Select(r => $"{r.Name} {r.Status}")));
            foreach (var run in runs)
            {
                Assert.Contains($"{run.Tags[PipelineRuns.VariantTag]} of gen-0001 diverged at step", run.Tags["hd.failure"], StringComparison.Ordinal);
            }

            var generationRun = Assert.Single(await Search(experimentId, PipelineRuns.GenerationTag, "gen-0001", PipelineRuns.GenerationKind));
            Assert.Equal("FAILED", generationRun.Status);
            Assert.Contains("diverged at step", generationRun.Tags["hd.failure"], StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>
    /// A job that fails on every attempt without diverging (its final checkpoint cannot be written) ends its own run
    /// FAILED, and, once it is out of retries, its generation's run too: no evaluation will come to end it.
    /// </summary>
    public async Task AJobOutOfRetriesEndsItsGenerationsRunFailed()
    {
        var (settings, experiment) = Settings("out-of-retries");
        var blocked = Path.Combine(new Core.Workspace.WorkspaceLayout(settings.Pipeline.Workspace).Checkpoint("gen-0001", Variants.Distance), CheckpointReferences.FinalFolder);
        Directory.CreateDirectory(Path.GetDirectoryName(blocked)!);
        await File.WriteAllTextAsync(blocked, "in the way of the final checkpoint");
        var events = new PipelineEvents();
        using var host = PipelineHost.Build(settings, PipelineRoles.All, (services, bus) => PipelineObserver.Register(services, bus, events));
        await host.StartAsync();
        try
        {
            await InProcessPipeline.IngestFirstCropsAsync(host.Services.GetRequiredService<IBus>(), temp);
            var experimentId = "";
            IReadOnlyList<MlflowRun> generation = [];
            await Eventually.Until(
                async () => (experimentId = await client.GetExperimentIdAsync(experiment, None) ?? "").Length > 0
                    && (generation = await Search(experimentId, PipelineRuns.GenerationTag, "gen-0001", PipelineRuns.GenerationKind)).Count == 1
                    && generation[0].Status == "RUNNING",
                GenerationLimit,
                "the generation's run to start");

            await Eventually.Until(() => events.FailuresOf("gen-0001").Count == 1, GenerationLimit, "the distance job to run out of retries");
            await Eventually.Until(
                async () => (generation = await Search(experimentId, PipelineRuns.GenerationTag, "gen-0001", PipelineRuns.GenerationKind))[0].Status == "FAILED",
                TimeSpan.FromSeconds(30),
                "the generation's run to end FAILED",
                () => generation[0].Status);
            Assert.StartsWith($"{Variants.Distance}: Cannot create '{blocked}'", generation[0].Tags["hd.failure"], StringComparison.Ordinal);
            var distance = Assert.Single(await Search(experimentId, PipelineRuns.VariantTag, Variants.Distance, PipelineRuns.TrainingKind));
            Assert.Equal("FAILED", distance.Status);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>The scenario's settings: the in-process pipeline's, tracking to this server in an experiment of its own.</summary>
    public (HostSettings Settings, string Experiment) Settings(string name)
    {
        var experiment = $"hd-test-{name}-{Guid.NewGuid():N}"[..32];
        var workspace = temp.Combine("workspace-" + name);
        var settings = InProcessPipeline.Settings(workspace) with
        {
            MlflowTrackingUri = server.MlflowTrackingUri,
            MlflowUsername = server.MlflowUsername,
            MlflowPassword = server.MlflowPassword,
            MlflowToken = server.MlflowToken,
            MlflowExperiment = experiment,
        };
        return (settings with { Pipeline = settings.Pipeline with { ModelName = RegistryScenarios.UniqueModelName() } }, experiment);
    }

    private async Task AssertTrainingRunAsync(MlflowRun run, MlflowRun generationRun, ModelTrained trained, HostSettings settings, CropStore store, string warmStart)
    {
        var training = settings.Trainer.Training;
        var variant = run.Tags[PipelineRuns.VariantTag];
        Assert.Equal("FINISHED", run.Status);
        Assert.Equal(generationRun.RunId, run.Tags[MlflowExperimentTracker.ParentRunTag]);
        Assert.Equal(trained.TrackingRunId, run.RunId);
        Assert.Equal(settings.Trainer.RunnerName, run.Tags["hd.runner"]);
        Assert.Equal(variant, run.Parameters["variant"]);
        Assert.Equal("4", run.Parameters["steps"]);
        Assert.Equal("16", run.Parameters["patch_size"]);
        Assert.Equal(training.Architecture.ToString(), run.Parameters["architecture"]);
        Assert.Equal(string.Join(',', settings.Pipeline.Classes), run.Parameters["classes"]);
        Assert.Equal(training.DistanceLambda, double.Parse(run.Parameters["lambda"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(training.LearningRate, double.Parse(run.Parameters["learning_rate"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(training.DistanceScaleNm, double.Parse(run.Parameters["distance_scale_nm"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(training.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), run.Parameters["seed"]);
        Assert.Equal(warmStart, run.Parameters["warm_start"]);
        Assert.False(string.IsNullOrEmpty(run.Parameters["code_version"]));
        foreach (var cropId in trained.TrainingCropIds)
        {
            Assert.Equal(store.Get(cropId).ContentHash, run.Parameters["crop." + cropId]);
        }

        var loss = await client.GetMetricHistoryAsync(run.RunId, TrainingMetrics.Loss, None);
        Assert.Equal([1L, 2, 3, 4], loss.Select(m => m.Step).Order());
        Assert.Equal(trained.FinalLoss, loss.Single(m => m.Step == 4).Value, 6);
        var learningRate = await client.GetMetricHistoryAsync(run.RunId, TrainingMetrics.LearningRate, None);
        Assert.Equal([1L, 2, 3, 4], learningRate.Select(m => m.Step).Order());
        Assert.Equal(training.LearningRate, learningRate.Single(m => m.Step == 1).Value, 9);

        var files = await client.ListArtifactsAsync(MlflowArtifactPaths.RunRoot(run), None);
        Assert.Contains(files, f => f.Name == TrainingRuns.LossChartFile);
        var chart = temp.Combine($"loss-{run.RunId}.png");
        await client.DownloadArtifactAsync(MlflowArtifactPaths.Combine(MlflowArtifactPaths.RunRoot(run), TrainingRuns.LossChartFile), chart, None);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(chart)[..4]);
    }

    private async Task AssertEvaluationRunAsync(MlflowRun run, MlflowRun generationRun, EvaluationCompleted evaluation, bool withChampion)
    {
        Assert.Equal("FINISHED", run.Status);
        Assert.Equal(generationRun.RunId, run.Tags[MlflowExperimentTracker.ParentRunTag]);
        Assert.Equal(evaluation.Winner?.Variant ?? "none", run.Tags["hd.winner"]);
        Assert.Equal(evaluation.Reason, run.Tags["hd.decision"]);
        var metrics = run.LatestMetrics.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        foreach (var score in evaluation.Scores)
        {
            var prefix = score.Role == ModelRoles.Champion ? EvaluationRuns.ChampionPrefix : score.Variant;
            Assert.Equal(score.Overall, metrics[$"{prefix}/overall"], 9);
            Assert.NotEmpty(score.PerClass);
            foreach (var (className, value) in score.PerClass)
            {
                Assert.Equal(value, metrics[$"{prefix}/{className}"], 9);
            }
        }

        Assert.Equal(Variants.All.Count + (withChampion ? 1 : 0), evaluation.Scores.Count);
        var comparisons = evaluation.Decision?.Comparisons ?? [];
        Assert.Equal(withChampion ? Variants.All.Count : 0, comparisons.Count);
        foreach (var comparison in comparisons)
        {
            Assert.Equal(comparison.IntervalLower, metrics[$"{comparison.Variant}/interval_lower"], 9);
            Assert.Equal(comparison.IntervalUpper, metrics[$"{comparison.Variant}/interval_upper"], 9);
            Assert.Equal(comparison.Difference, metrics[$"{comparison.Variant}/difference"], 9);
            Assert.Equal(comparison.ClearsMargin ? 1 : 0, metrics[$"{comparison.Variant}/clears_margin"]);
        }

        var files = (await client.ListArtifactsAsync(MlflowArtifactPaths.RunRoot(run), None)).Select(f => f.Name).ToList();
        Assert.Contains(EvaluationReport.ReportFile, files);
        if (withChampion)
        {
            Assert.Contains(ScoreHistory.ChartFile, files);
        }
    }

    private Task<IReadOnlyList<MlflowRun>> Search(string experimentId, string keyTag, string keyValue, string kind) =>
        client.SearchRunsAsync([experimentId], MlflowClient.FilterByTags(new Dictionary<string, string> { [PipelineRuns.KindTag] = kind, [keyTag] = keyValue }), None);

    private static async Task<T> Within<T>(Task<T> task, string what)
    {
        Assert.True(await Task.WhenAny(task, Task.Delay(GenerationLimit)) == task, $"{what} did not happen within {GenerationLimit}");
        return await task;
    }
}
