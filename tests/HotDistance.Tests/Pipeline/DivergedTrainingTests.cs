using HotDistance.Catalog;
using HotDistance.Catalog.Status;
using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Hosting;
using HotDistance.Tests.Infrastructure;

namespace HotDistance.Tests.Pipeline;

/// <summary>A job whose training diverges fails once, at once, and says why in the events and in the catalog.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class DivergedTrainingTests(RabbitMqBrokerFixture broker)
{
    [Fact]
    public async Task A_diverged_job_is_a_failed_job_with_its_reason_and_is_not_retried()
    {
        await using var pipeline = new BrokerPipeline(broker.AmqpUri, s => s with
        {
            Trainer = s.Trainer with
            {
                Training = s.Trainer.Training with { LearningRate = 1e37, LearningRateDecayFraction = 0, MaxNonFiniteSteps = 1, Steps = 20 },
            },
        });
        await pipeline.StartAsync(PipelineRoles.All);
        await pipeline.Bus.Publish(new IngestRequested(pipeline.WriteCrop("held", seed: 1), CropSplits.HeldOut, DateTimeOffset.UtcNow));
        await pipeline.Bus.Publish(new IngestRequested(pipeline.WriteCrop("train", seed: 2), CropSplits.Train, DateTimeOffset.UtcNow));

        await pipeline.UntilAsync(() => pipeline.Events.FailuresOf("gen-0001").Count == Variants.All.Count, TimeSpan.FromMinutes(3), "all three jobs of gen-0001 to fail");

        foreach (var variant in Variants.All)
        {
            var reason = pipeline.Events.FailuresOf("gen-0001")[$"train {variant}"];
            Assert.Contains($"{variant} of gen-0001 diverged at step", reason, StringComparison.Ordinal);
            Assert.Contains("Fix: lower the learning rate", reason, StringComparison.Ordinal);
        }

        // The trainer logs each diverged attempt: retried, a job would diverge (and log) again.
        Assert.Equal(Variants.All.Count, pipeline.Logs.Matching("training failed for good").Count);

        var catalog = CatalogConnection.Parse(pipeline.Settings.Catalog, pipeline.Workspace).Open();
        await pipeline.UntilAsync(
            () => catalog.ReadStatusAsync(StatusLimits.Default, default).GetAwaiter().GetResult().Generations.SingleOrDefault()?.State == GenerationStates.Failed,
            TimeSpan.FromSeconds(30),
            "the catalog to show gen-0001 as failed");
        var generation = (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Generations.Single();
        Assert.All(generation.Jobs, job =>
        {
            Assert.Equal(JobStates.Failed, job.State);
            Assert.Contains("diverged at step", job.Failure, StringComparison.Ordinal);
        });
        Assert.False(pipeline.Events.OutcomeOf("gen-0001").IsCompleted);
    }
}
