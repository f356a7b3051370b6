using HotDistance.Ablation;
using HotDistance.Contracts;
using HotDistance.Core.Crops.Thinning;
using HotDistance.Core.Workspace;
using HotDistance.Learning.Training;
using HotDistance.Tests.Ablation;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Pipeline;
using HotDistance.Trainer;

namespace HotDistance.Tests.Messaging;

/// <summary>An ablation's cells spread over the pipeline's training runners on a real broker, one cell per job.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class DistributedAblationTests(RabbitMqBrokerFixture broker)
{
    private static readonly AblationSettings Settings = new()
    {
        Variants = [Variants.OneHot, Variants.HotDistance],
        Lambdas = [1],
        Densities = [new AnnotationDensity { ClassesPerCrop = 1 }],
        Seeds = [1, 2, 3],
        Training = new TrainingSettings { Steps = 3, CheckpointEvery = 3, PatchSize = 8, BatchSize = 1 },
        TuneThresholds = false,
        BootstrapResamples = 100,
    };

    [Fact]
    public async Task Every_cell_trains_on_a_runner_once_and_a_duplicate_request_or_a_rerun_reuses_its_result()
    {
        await using var pipeline = new BrokerPipeline(broker.AmqpUri);
        await pipeline.StartAsync([TrainerRole.Name]);
        var folder = AblationCellRequestedConsumer.FolderOf(new WorkspaceLayout(pipeline.Workspace), "ablation-1");
        AblationPlanFile.Write(folder, Settings, AblationResumeTests.Inputs());
        var (planned, inputs) = AblationPlanFile.Read(folder, "cpu");
        var cells = AblationGrid.Compose(planned);
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(4));

        var outcome = await new AblationRunner(planned, inputs, folder, new BrokerCellRunner(pipeline.Bus, "ablation-1", planned, inputs, TimeSpan.FromMilliseconds(100)))
            .RunAsync(null, limit.Token);

        Assert.Equal(cells.Select(c => c.Key).Order(), outcome.Trained.Order());
        Assert.Equal(cells.Count, pipeline.Logs.Matching("finished, overall").Count);
        Assert.All(outcome.Results, r => Assert.Equal(CellFingerprint.Of(cells.Single(c => c.Key == r.Key), planned, inputs), r.Fingerprint));
        var first = CellResultFile.PathOf(AblationRunner.CellDirectory(folder, cells[0]));
        var written = await File.ReadAllBytesAsync(first);

        await pipeline.Bus.Publish(new AblationCellRequested("ablation-1", cells[0].Key, DateTimeOffset.UtcNow));
        await pipeline.UntilAsync(() => pipeline.Logs.Matching("is already finished").Count == 1, TimeSpan.FromMinutes(1), "the duplicate request answered from the result");
        var again = await new AblationRunner(planned, inputs, folder, new BrokerCellRunner(pipeline.Bus, "ablation-1", planned, inputs, TimeSpan.FromMilliseconds(100)))
            .RunAsync(null, limit.Token);

        Assert.Equal(written, await File.ReadAllBytesAsync(first));
        Assert.Empty(again.Trained);
        Assert.Equal(cells.Count, pipeline.Logs.Matching("finished, overall").Count);
    }

    [Fact]
    public async Task Hd_ablate_distribute_runs_the_smoke_grid_on_the_runners_and_writes_its_report_in_the_workspace()
    {
        await using var pipeline = new BrokerPipeline(broker.AmqpUri);
        await pipeline.StartAsync([TrainerRole.Name]);
        var environment = new Dictionary<string, string>
        {
            ["HD_WORKSPACE"] = pipeline.Workspace,
            ["HD_RABBITMQ"] = broker.AmqpUri.ToString(),
            ["HD_QUEUE_PREFIX"] = pipeline.Settings.EndpointPrefix!,
        };

        var (exitCode, printed) = await HdProcess.RunAsync(["ablate", "--preset", AblationPresets.Smoke, "--distribute", "--name", "smoke-1"], environment, TimeSpan.FromMinutes(5));

        Assert.True(exitCode == 0, printed + pipeline.Logs.Tail());
        // The console of a child process is 80 columns wide: lines wrap where there was a space.
        var text = System.Text.RegularExpressions.Regex.Replace(printed, @"\s+", " ");
        Assert.Contains("18 cell(s) trained, 0 reused", text, StringComparison.Ordinal);
        Assert.Contains("on the training runners of", text, StringComparison.Ordinal);
        // Trained by the runner (its log), not by the command.
        Assert.Equal(18, pipeline.Logs.Matching("finished, overall").Count);
        var folder = AblationCellRequestedConsumer.FolderOf(new WorkspaceLayout(pipeline.Workspace), "smoke-1");
        Assert.True(File.Exists(Path.Combine(folder, AblationReport.MarkdownFile)));
        Assert.Equal(18, AblationReport.Read(folder)!.Cells.Count);
    }

    [Fact]
    public async Task A_request_for_a_cell_the_plan_does_not_hold_is_refused_and_trains_nothing()
    {
        await using var pipeline = new BrokerPipeline(broker.AmqpUri);
        await pipeline.StartAsync([TrainerRole.Name]);
        var folder = AblationCellRequestedConsumer.FolderOf(new WorkspaceLayout(pipeline.Workspace), "ablation-2");
        AblationPlanFile.Write(folder, Settings, AblationResumeTests.Inputs());

        await pipeline.Bus.Publish(new AblationCellRequested("ablation-2", "distance__full__seed9", DateTimeOffset.UtcNow));
        await pipeline.Bus.Publish(new AblationCellRequested("no-such-ablation", "one-hot__full__seed1", DateTimeOffset.UtcNow));

        await pipeline.UntilAsync(() => pipeline.Logs.Matching("refused").Count >= 2, TimeSpan.FromMinutes(1), "both requests refused");
        Assert.False(Directory.Exists(Path.Combine(folder, AblationRunner.CellsDirectory)));
    }

    [Fact]
    public async Task A_runner_takes_generation_jobs_and_ablation_cells_from_one_queue_holding_one_at_a_time()
    {
        await using var pipeline = new BrokerPipeline(broker.AmqpUri);
        await pipeline.StartAsync([TrainerRole.Name]);
        var prefix = pipeline.Settings.EndpointPrefix;
        var queue = $"{prefix}-training-requested";

        var queues = await ListingAsync("list_queues", "name");
        Assert.Contains(queue, queues);
        Assert.DoesNotContain(queues, q => q.StartsWith($"{prefix}-ablation", StringComparison.Ordinal));
        var bindings = await ListingAsync("list_bindings", "source_name", "destination_name");
        Assert.Contains($"{typeof(TrainingRequested).Namespace}:{nameof(TrainingRequested)}\t{queue}", bindings);
        Assert.Contains($"{typeof(AblationCellRequested).Namespace}:{nameof(AblationCellRequested)}\t{queue}", bindings);
        var consumers = (await ListingAsync("list_consumers", "queue_name", "prefetch_count")).Where(l => l.StartsWith(queue + "\t", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"{queue}\t1"], consumers);
    }

    private async Task<string[]> ListingAsync(params string[] arguments) =>
        (await broker.RabbitmqctlAsync(["-q", .. arguments])).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
