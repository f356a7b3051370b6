using HotDistance.Hosting;
using HotDistance.Tests.Infrastructure;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace HotDistance.Tests.Messaging;

[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class BrokerFailuresTests(RabbitMqBrokerFixture broker)
{
    [Fact]
    public async Task A_classic_queue_left_by_an_earlier_version_is_explained_with_the_fix()
    {
        var queue = $"t{Guid.NewGuid():N}"[..9] + "-ingest-requested";
        await using var connection = await new ConnectionFactory { Uri = broker.AmqpUri }.CreateConnectionAsync();
        await using (var classic = await connection.CreateChannelAsync())
        {
            await classic.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        }

        await using var quorum = await connection.CreateChannelAsync();
        var refused = await Assert.ThrowsAsync<OperationInterruptedException>(() => quorum.QueueDeclareAsync(
            queue, durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }));

        // As MassTransit reports it when a receive endpoint cannot start.
        var explained = BrokerFailures.DescribeConflictingQueue(new RabbitMqConnectionException("ReceiveTransport faulted", refused));

        Assert.NotNull(explained);
        Assert.Contains($"rabbitmqctl delete_queue {queue}", explained, StringComparison.Ordinal);
        Assert.Contains("HD_QUEUE_PREFIX", explained, StringComparison.Ordinal);
        Assert.Null(BrokerFailures.DescribeConflictingQueue(new RabbitMqConnectionException("connection refused")));

        await using var cleanup = await connection.CreateChannelAsync();
        await cleanup.QueueDeleteAsync(queue);
    }
}
