using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.IO;
using HotDistance.Hosting;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Pipeline;
using HotDistance.Trainer;

namespace HotDistance.Tests.Messaging;

/// <summary>A lab drops a whole batch at once: the crops become a few generations, each trained once.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class CropBurstTests(RabbitMqBrokerFixture broker)
{
    private const int CropCount = 100;
    private const int MaxBatch = 40;

    [Fact]
    public async Task A_burst_of_100_crops_becomes_a_few_generations_with_no_crop_lost_or_trained_twice()
    {
        await using var pipeline = new BrokerPipeline(broker.AmqpUri, s => s with
        {
            Trainer = s.Trainer with { Debounce = TimeSpan.FromSeconds(2), MaxBatch = MaxBatch, Training = s.Trainer.Training with { Steps = 2, CheckpointEvery = 2 } },
        });
        await pipeline.StartAsync(PipelineRoles.All);

        var paths = Enumerable.Range(0, CropCount).Select(i => pipeline.WriteCrop($"burst-{i:D3}", seed: 100 + i, size: 16)).ToList();
        await Task.WhenAll(paths.Select(p => pipeline.Bus.Publish(new IngestRequested(p, Split: null, DateTimeOffset.UtcNow))));

        var statePath = Path.Combine(pipeline.Workspace, "generations", "planner.json");
        PlannerState? settled = null;
        await pipeline.UntilAsync(() => (settled = Settled(pipeline, statePath)) is not null, TimeSpan.FromMinutes(5), $"all {CropCount} crops ingested and planned");
        var state = settled!;

        // Delivery is at least once: a publish whose confirmation timed out is sent again, so a crop may be announced twice.
        var ingested = pipeline.Events.Ingested.DistinctBy(c => c.CropId).ToList();
        Assert.Equal(CropCount, ingested.Count);
        Assert.Equal(CropCount, ingested.Select(c => c.ContentHash).Distinct().Count());
        var training = ingested.Where(c => c.Split == CropSplits.Train).Select(c => c.CropId).Order().ToList();
        Assert.InRange(training.Count, 1, CropCount - 1);

        // Few generations, every training crop new in exactly one, and each generation trains on all crops so far.
        Assert.InRange(state.Generations.Count, (training.Count + MaxBatch - 1) / MaxBatch, 5);
        Assert.Equal(training, state.Generations.SelectMany(g => g.NewCropIds).Order().ToList());
        Assert.Equal(training, state.Generations[^1].CropIds.Order().ToList());

        foreach (var generation in state.Generations)
        {
            await pipeline.WithinAsync(pipeline.Events.OutcomeOf(generation.GenerationId), TimeSpan.FromMinutes(4), $"a decision for {generation.GenerationId}");
        }

        Assert.Equal(3 * state.Generations.Count, pipeline.Logs.Matching("(started at 0)").Count);
    }

    /// <summary>The planner's state once every ingested training crop is in a published generation; else null.</summary>
    private static PlannerState? Settled(BrokerPipeline pipeline, string statePath)
    {
        var ingested = pipeline.Events.Ingested.DistinctBy(c => c.CropId).ToList();
        if (ingested.Count < CropCount || !File.Exists(statePath))
        {
            return null;
        }

        var state = AtomicFile.ReadJson<PlannerState>(statePath)!;
        var planned = state.Generations.SelectMany(g => g.NewCropIds).Count();
        var training = ingested.Count(c => c.Split == CropSplits.Train);
        return state.PendingCropIds.Count == 0 && planned == training && state.Generations.All(g => g.Published) ? state : null;
    }
}
