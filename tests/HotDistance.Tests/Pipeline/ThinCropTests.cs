using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.Volumes;
using HotDistance.Hosting;
using HotDistance.Learning.Checkpoints;
using HotDistance.Tests.Infrastructure;

namespace HotDistance.Tests.Pipeline;

/// <summary>
/// A crop thinner than the 3D network halves Z by (the test network halves it once) makes its generation train
/// the planar network, and the generations after it still complete.
/// </summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class ThinCropTests(RabbitMqBrokerFixture broker)
{
    [Fact]
    public async Task A_generation_with_a_one_slice_crop_trains_the_planar_network_and_the_next_generation_completes_too()
    {
        await using var pipeline = new BrokerPipeline(broker.AmqpUri);
        await pipeline.StartAsync(PipelineRoles.All);
        await pipeline.Bus.Publish(new IngestRequested(pipeline.WriteCrop("held", seed: 1), CropSplits.HeldOut, DateTimeOffset.UtcNow));
        await pipeline.Bus.Publish(new IngestRequested(pipeline.WriteCrop("thin", seed: 2, new Shape3(1, 24, 24)), CropSplits.Train, DateTimeOffset.UtcNow));

        await pipeline.WithinAsync(pipeline.Events.OutcomeOf("gen-0001"), TimeSpan.FromMinutes(4), "a promotion decision for gen-0001");
        Assert.Empty(pipeline.Events.FailuresOf("gen-0001"));
        foreach (var variant in Variants.All)
        {
            var trained = pipeline.Events.Trained[$"gen-0001/{variant}"];
            Assert.True(Checkpoint.ReadVerified(Path.Combine(pipeline.Workspace, trained.Checkpoint))!.Architecture.Planar, $"{variant} of gen-0001 is not planar");
        }

        await pipeline.Bus.Publish(new IngestRequested(pipeline.WriteCrop("thick", seed: 3), CropSplits.Train, DateTimeOffset.UtcNow));
        await pipeline.WithinAsync(pipeline.Events.OutcomeOf("gen-0002"), TimeSpan.FromMinutes(4), "a promotion decision for gen-0002");
        Assert.Empty(pipeline.Events.FailuresOf("gen-0002"));
    }
}
