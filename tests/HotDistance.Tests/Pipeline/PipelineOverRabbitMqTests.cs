using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.IO;
using HotDistance.Core.Registry;
using HotDistance.Hosting;
using HotDistance.Tests.Infrastructure;

namespace HotDistance.Tests.Pipeline;

/// <summary>The walking skeleton on a real broker: four roles, each on its own bus, take a crop to a promoted model.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class PipelineOverRabbitMqTests(RabbitMqBrokerFixture broker)
{
    [Fact]
    public async Task A_crop_published_to_the_broker_ends_as_a_promoted_model()
    {
        await using var pipeline = new BrokerPipeline(broker.AmqpUri);
        await pipeline.StartAsync(PipelineRoles.All);
        await pipeline.Bus.Publish(new IngestRequested(pipeline.WriteCrop("held", seed: 1), CropSplits.HeldOut, DateTimeOffset.UtcNow));
        await pipeline.Bus.Publish(new IngestRequested(pipeline.WriteCrop("train", seed: 2), CropSplits.Train, DateTimeOffset.UtcNow));

        var outcome = await pipeline.WithinAsync(pipeline.Events.OutcomeOf("gen-0001"), TimeSpan.FromMinutes(4), "a promotion decision for gen-0001");
        var promoted = outcome as ModelPromoted
            ?? throw new Xunit.Sdk.XunitException($"not promoted: {(outcome as PromotionDeclined)?.Reason}{Environment.NewLine}{pipeline.Logs.Tail()}");
        Assert.Equal(1, promoted.Version);
        Assert.Contains(promoted.Variant, Variants.All);

        var evaluation = await pipeline.Events.EvaluationOf("gen-0001").WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Variants.All.Order(), evaluation.Scores.Select(s => s.Variant).Order());
        Assert.Single(evaluation.HeldOutCropIds);
        Assert.Single(evaluation.TrainingCropIds);
        Assert.All(evaluation.Scores, s => Assert.InRange(s.Overall, 0, 1));
        Assert.Equal(promoted.Variant, evaluation.Winner!.Variant);
        Assert.Equal("evaluations/gen-0001/report.html", evaluation.ReportPath);
        Assert.True(File.Exists(Path.Combine(pipeline.Workspace, evaluation.ReportPath)));

        var champion = await pipeline.Registry.GetByAliasAsync(pipeline.Settings.Pipeline.ModelName, RegistryAliases.Champion, default);
        Assert.Equal(promoted.Version, champion!.Version);
        Assert.Equal("gen-0001", champion.Tags["generation"]);
        Assert.True(File.Exists(Path.Combine(champion.Location, "model-card.json")));
        Assert.Equal(
            AtomicFile.ReadJson<StoredCrop>(Path.Combine(pipeline.Workspace, "crops", evaluation.TrainingCropIds[0], "crop.json"))!.CropId,
            evaluation.TrainingCropIds[0]);
    }
}
