using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.IO;
using HotDistance.Hosting;
using HotDistance.Ingest;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Pipeline;
using HotDistance.Trainer;

namespace HotDistance.Tests.Messaging;

/// <summary>The broker goes down twice: once with requests waiting in a queue, once in the middle of training.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class BrokerRestartTests(RabbitMqBrokerFixture broker)
{
    [Fact]
    public async Task Waiting_requests_survive_a_broker_restart_and_a_restart_mid_training_still_ends_in_one_promotion()
    {
        await using var pipeline = new BrokerPipeline(broker.AmqpUri, s => s with
        {
            Trainer = s.Trainer with { Training = s.Trainer.Training with { Steps = 400, CheckpointEvery = 50 } },
        });
        await pipeline.StartAsync(PipelineRoles.All);

        // The ingest host is down: its requests wait in its durable queue, as persistent messages, through a restart.
        await pipeline.StopRoleAsync(IngestRole.Name);
        await pipeline.Bus.Publish(new IngestRequested(pipeline.WriteCrop("held", seed: 1), CropSplits.HeldOut, DateTimeOffset.UtcNow));
        await pipeline.Bus.Publish(new IngestRequested(pipeline.WriteCrop("train", seed: 2), CropSplits.Train, DateTimeOffset.UtcNow));
        await broker.RestartBrokerAsync();
        await pipeline.StartRoleAsync(IngestRole.Name);

        await pipeline.UntilAsync(
            () => pipeline.Events.LatestProgress.Values.Any(p => p.Step > 0 && p.Step < p.TotalSteps), TimeSpan.FromMinutes(2), "training starting after the first restart");
        await broker.RestartBrokerAsync();

        var outcome = await pipeline.WithinAsync(pipeline.Events.OutcomeOf("gen-0001"), TimeSpan.FromMinutes(5), "a promotion decision after the second restart");
        Assert.IsType<ModelPromoted>(outcome);
        Assert.Single(await pipeline.Registry.ListVersionsAsync(pipeline.Settings.Pipeline.ModelName, default));
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(pipeline.Workspace, "crops")).Length);
        var planner = AtomicFile.ReadJson<PlannerState>(Path.Combine(pipeline.Workspace, "generations", "planner.json"))!;
        Assert.Single(planner.Generations);
    }
}
