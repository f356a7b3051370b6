using System.Text;
using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.Workspace;
using HotDistance.Evaluator;
using HotDistance.Ingest;
using HotDistance.Publisher;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Pipeline;
using MassTransit;
using RabbitMQ.Client;

namespace HotDistance.Tests.Messaging;

/// <summary>
/// A message no consumer can handle ends in its endpoint's error queue with the reason, and the endpoint goes on
/// with the next message.
/// </summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class PoisonMessageTests(RabbitMqBrokerFixture broker)
{
    [Fact]
    public async Task An_unreadable_message_is_parked_with_its_fault_and_the_next_crop_is_ingested()
    {
        await using var pipeline = new BrokerPipeline(broker.AmqpUri);
        await pipeline.StartAsync([IngestRole.Name]);
        var queue = QueueName(pipeline, "ingest-requested");

        await using var connection = await new ConnectionFactory { Uri = broker.AmqpUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", MessageId = Guid.NewGuid().ToString(), Persistent = true };
        await channel.BasicPublishAsync("", queue, mandatory: true, properties, Encoding.UTF8.GetBytes("{\"message\": {\"sourcePath\": "));

        var parked = await NextErrorAsync(queue);
        Assert.Equal(properties.MessageId, parked.BasicProperties.MessageId);
        Assert.Contains("Json", Header(parked, "MT-Fault-ExceptionType"), StringComparison.Ordinal);

        await pipeline.Bus.Publish(new IngestRequested(pipeline.WriteCrop("after-poison", seed: 3), CropSplits.Train, DateTimeOffset.UtcNow));
        var ingested = await FirstIngestedAsync(pipeline, TimeSpan.FromSeconds(60));
        Assert.Equal("after-poison/crop1", ingested.Name);
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_parked_after_its_retries_and_the_next_evaluation_is_decided()
    {
        await using var pipeline = new BrokerPipeline(broker.AmqpUri);
        await pipeline.StartAsync([PublisherRole.Name]);
        var queue = QueueName(pipeline, "evaluation-completed");
        var missing = Path.Combine(pipeline.Workspace, "generations", "gen-0001", "one-hot", "final");

        await pipeline.Bus.Publish(RecordedEvaluations.Winner(new WorkspaceLayout(pipeline.Workspace), "gen-0001", Variants.OneHot, 0.5));

        var parked = await NextErrorAsync(queue);
        Assert.Contains(nameof(DirectoryNotFoundException), Header(parked, "MT-Fault-ExceptionType"), StringComparison.Ordinal);
        Assert.Contains(missing, Header(parked, "MT-Fault-Message"), StringComparison.Ordinal);
        Assert.Empty(await pipeline.Registry.ListVersionsAsync(pipeline.Settings.Pipeline.ModelName, default));

        await pipeline.Bus.Publish(RecordedEvaluations.Record(
            new WorkspaceLayout(pipeline.Workspace),
            new EvaluationCompleted("eval-gen-0002", "gen-0002", 2, [], null, "no challenger beat the champion", [], [], "", DateTimeOffset.UtcNow)));
        var outcome = await pipeline.WithinAsync(pipeline.Events.OutcomeOf("gen-0002"), TimeSpan.FromSeconds(60), "a decision on the evaluation after the poison message");
        Assert.IsType<PromotionDeclined>(outcome);
    }

    private static string QueueName(BrokerPipeline pipeline, string consumer) => $"{pipeline.Settings.EndpointPrefix}-{consumer}";

    /// <summary>Polls the error queue, which MassTransit declares with the first fault.</summary>
    private async Task<BasicGetResult> NextErrorAsync(string queue)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            // A get on a queue that is not ready closes the channel (404) or the connection (541), so each attempt
            // has its own.
            await using var connection = await new ConnectionFactory { Uri = broker.AmqpUri }.CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                if (await channel.BasicGetAsync(queue + "_error", autoAck: true) is { } message)
                {
                    return message;
                }
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode is 404 or 541)
            {
                // 404: not declared yet; 541 (noproc): declared, its quorum process still starting.
            }

            await Task.Delay(200);
        }

        throw new Xunit.Sdk.XunitException($"nothing reached {queue}_error within 90 s");
    }

    private static string Header(BasicGetResult message, string name) =>
        message.BasicProperties.Headers?.TryGetValue(name, out var value) == true
            ? value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), _ => value?.ToString() ?? "" }
            : throw new Xunit.Sdk.XunitException($"the parked message has no {name} header; it has {string.Join(", ", message.BasicProperties.Headers?.Select(h => h.Key + "=" + (h.Value is byte[] b ? Encoding.UTF8.GetString(b) : h.Value?.ToString())) ?? [])}");

    private static async Task<CropIngested> FirstIngestedAsync(BrokerPipeline pipeline, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        CropIngested? first;
        while (!pipeline.Events.Ingested.TryPeek(out first) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return first ?? throw new Xunit.Sdk.XunitException($"no crop ingested within {limit}; the roles logged:{Environment.NewLine}{pipeline.Logs.Tail()}");
    }
}
