using System.Globalization;
using HotDistance.Catalog;
using HotDistance.Catalog.Status;
using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Hosting;
using HotDistance.SiteAgent;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Pipeline;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace HotDistance.Tests.Messaging;

/// <summary>
/// The broker lock-down that <c>hd broker-definitions</c> writes, imported into a real broker: every role runs a
/// whole generation as its own user on the pipeline's own vhost, and no role may publish another role's events.
/// </summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class BrokerUsersTests(RabbitMqBrokerFixture broker)
{
    [Fact]
    public async Task Each_role_runs_a_generation_as_its_own_user_and_may_publish_only_its_own_events()
    {
        using var site = new TempDirectory();
        var vhost = "hd-" + Guid.NewGuid().ToString("N")[..8];
        var passwords = BrokerDefinitions.Users.ToDictionary(user => user, _ => Guid.NewGuid().ToString("N"), StringComparer.Ordinal);
        Uri As(string user) => new(string.Create(
            CultureInfo.InvariantCulture, $"amqp://{user}:{passwords[user]}@{broker.AmqpUri.Host}:{broker.AmqpUri.Port}/{vhost}"));

        await using var pipeline = new BrokerPipeline(
            As(BrokerDefinitions.AdminUser),
            settings => settings with { Site = new SiteSettings { Directory = site.Path, SiteId = "lab-1", PollInterval = TimeSpan.FromHours(1) } })
        {
            RoleBroker = role => As(BrokerDefinitions.UserOf(role)),
        };
        await broker.ImportDefinitionsAsync(BrokerDefinitions.Create(pipeline.Settings, vhost, passwords).ToJsonString());

        await pipeline.StartAsync(BrokerDefinitions.Roles);
        await pipeline.Bus.Publish(new IngestRequested(pipeline.WriteCrop("held", seed: 1), CropSplits.HeldOut, DateTimeOffset.UtcNow));
        await pipeline.Bus.Publish(new IngestRequested(pipeline.WriteCrop("train", seed: 2), CropSplits.Train, DateTimeOffset.UtcNow));
        var promoted = Assert.IsType<ModelPromoted>(await pipeline.WithinAsync(pipeline.Events.OutcomeOf("gen-0001"), TimeSpan.FromMinutes(4), "gen-0001's promotion with one user per role"));
        Assert.Empty(pipeline.Events.FailuresOf("gen-0001"));
        var layout = new SiteLayout(site.Path);
        await pipeline.UntilAsync(() => layout.ReadCurrent()?.Version == promoted.Version, TimeSpan.FromMinutes(1), "the site to follow the promotion");

        // A refusal under the evaluator's own user still faults the message, parks it and records the security event.
        var forged = pipeline.Events.Trained[$"gen-0001/{Variants.OneHot}"] with { CheckpointSha256 = new string('0', 64) };
        await pipeline.Bus.Publish(forged);
        await pipeline.UntilAsync(() => pipeline.Events.FailuresOf("gen-0001").ContainsKey("evaluate"), TimeSpan.FromMinutes(1), "the forged ModelTrained's fault");
        var catalog = CatalogConnection.Parse(null, pipeline.Workspace).Open();
        await pipeline.UntilAsync(
            () => catalog.ReadStatusAsync(StatusLimits.Default, CancellationToken.None).GetAwaiter().GetResult().SecurityEvents.Total == 1,
            TimeSpan.FromMinutes(1),
            "the refusal in the catalog");

        var endpoint = $"{pipeline.Settings.EndpointPrefix}-evaluation-completed";
        foreach (var (user, exchange) in new[]
        {
            (BrokerDefinitions.UserOf(SiteRole.Name), "HotDistance.Contracts:ModelPromoted"),
            (BrokerDefinitions.UserOf("trainer"), "HotDistance.Contracts:EvaluationCompleted"),
            (BrokerDefinitions.UserOf("ingest"), "HotDistance.Contracts:ModelTrained"),
            (BrokerDefinitions.UserOf("evaluator"), endpoint),
        })
        {
            var refusal = await PublishAsync(As(user), exchange);
            Assert.True(refusal?.Contains("ACCESS_REFUSED", StringComparison.Ordinal) == true, $"{user} published to {exchange}: {refusal ?? "accepted"}");
        }

        var guest = new ConnectionFactory { Uri = new Uri($"amqp://guest:guest@{broker.AmqpUri.Host}:{broker.AmqpUri.Port}/{vhost}") };
        var shut = await Assert.ThrowsAnyAsync<OperationInterruptedException>(async () =>
        {
            // The broker refuses the vhost by closing the connection it has just opened: the next call sees it.
            await using var connection = await guest.CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
        });
        Assert.Contains("NOT_ALLOWED", shut.Message, StringComparison.Ordinal);
    }

    /// <summary>Publishes an empty body with confirms; returns the broker's reason when it closes the channel instead.</summary>
    private static async Task<string?> PublishAsync(Uri uri, string exchange)
    {
        await using var connection = await new ConnectionFactory { Uri = uri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        try
        {
            await channel.BasicPublishAsync(exchange, string.Empty, mandatory: false, new BasicProperties(), "{}"u8.ToArray());
            return null;
        }
        catch (Exception exception) when (exception is OperationInterruptedException or AlreadyClosedException or PublishException)
        {
            return channel.CloseReason?.ReplyText ?? exception.Message;
        }
    }
}
