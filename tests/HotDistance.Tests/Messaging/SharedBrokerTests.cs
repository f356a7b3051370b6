using HotDistance.Catalog;
using HotDistance.Catalog.Status;
using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Hosting;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Pipeline;

namespace HotDistance.Tests.Messaging;

/// <summary>
/// Two pipelines on one broker, each in a vhost of its own and with the same queue names (no prefix): each sees
/// only its own crops, trainings and promotions. Exchanges are named by message type, so a prefix alone would not
/// keep them apart; the vhost does.
/// </summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class SharedBrokerTests(RabbitMqBrokerFixture broker)
{
    [Fact]
    public async Task Two_pipelines_with_a_vhost_each_see_only_their_own_crops_trainings_and_promotions()
    {
        var first = await VhostAsync("a");
        var second = await VhostAsync("b");
        await using var a = new BrokerPipeline(first, settings => settings with { EndpointPrefix = null });
        await using var b = new BrokerPipeline(second, settings => settings with { EndpointPrefix = null });
        await a.StartAsync(PipelineRoles.All);
        await b.StartAsync(PipelineRoles.All);

        await a.Bus.Publish(new IngestRequested(a.WriteCrop("a-held", seed: 1), CropSplits.HeldOut, DateTimeOffset.UtcNow));
        await a.Bus.Publish(new IngestRequested(a.WriteCrop("a-train", seed: 2), CropSplits.Train, DateTimeOffset.UtcNow));
        Assert.IsType<ModelPromoted>(await a.WithinAsync(a.Events.OutcomeOf("gen-0001"), TimeSpan.FromMinutes(4), "pipeline a's promotion"));

        Assert.Empty(b.Events.Ingested);
        Assert.Empty(b.Events.Trained);
        Assert.Empty(b.Events.Promotions);
        Assert.False(Directory.Exists(Path.Combine(b.Workspace, "generations")) && Directory.EnumerateDirectories(Path.Combine(b.Workspace, "generations")).Any());
        Assert.Equal(0, (await StatusAsync(b)).Crops.Total);

        await b.Bus.Publish(new IngestRequested(b.WriteCrop("b-held", seed: 3), CropSplits.HeldOut, DateTimeOffset.UtcNow));
        await b.Bus.Publish(new IngestRequested(b.WriteCrop("b-train", seed: 4), CropSplits.Train, DateTimeOffset.UtcNow));
        Assert.IsType<ModelPromoted>(await b.WithinAsync(b.Events.OutcomeOf("gen-0001"), TimeSpan.FromMinutes(4), "pipeline b's promotion"));

        Assert.All(a.Events.Ingested, c => Assert.StartsWith("a-", c.Name, StringComparison.Ordinal));
        Assert.All(b.Events.Ingested, c => Assert.StartsWith("b-", c.Name, StringComparison.Ordinal));
        Assert.Single(a.Events.Promotions);
        Assert.Single(b.Events.Promotions);
        Assert.Equal(2, (await StatusAsync(a)).Crops.Total);
        Assert.Equal(2, (await StatusAsync(b)).Crops.Total);
        Assert.Single((await StatusAsync(a)).Generations);
    }

    /// <summary>A new vhost that the fixture's user may use, and the broker URI that reaches it.</summary>
    private async Task<Uri> VhostAsync(string name)
    {
        var vhost = $"hd-{name}-{Guid.NewGuid():N}"[..16];
        await broker.RabbitmqctlAsync("add_vhost", vhost);
        await broker.RabbitmqctlAsync("set_permissions", "-p", vhost, broker.AmqpUri.UserInfo.Split(':')[0], ".*", ".*", ".*");
        return new UriBuilder(broker.AmqpUri) { Path = "/" + vhost }.Uri;
    }

    private static Task<CatalogStatus> StatusAsync(BrokerPipeline pipeline) =>
        CatalogConnection.Parse(null, pipeline.Workspace).Open().ReadStatusAsync(StatusLimits.Default, CancellationToken.None);
}
