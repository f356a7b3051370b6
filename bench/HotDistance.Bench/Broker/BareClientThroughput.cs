using System.Diagnostics;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace HotDistance.Bench.Broker;

/// <summary>
/// The peer: RabbitMQ.Client alone on a quorum queue, with what the pipeline also pays for (publisher confirms,
/// persistent messages, manual acks, the same prefetch and publish batch), and nothing else: no envelope, no
/// topology of exchanges, no middleware.
/// </summary>
internal sealed class BareClientThroughput : IAsyncDisposable
{
    private readonly IConnection connection;
    private readonly IChannel publisher;
    private readonly IChannel consumer;
    private readonly string queue;
    private readonly PingCounter counter = new();

    private BareClientThroughput(IConnection connection, IChannel publisher, IChannel consumer, string queue)
    {
        this.connection = connection;
        this.publisher = publisher;
        this.consumer = consumer;
        this.queue = queue;
    }

    public static async Task<BareClientThroughput> StartAsync(Uri broker)
    {
        var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync().ConfigureAwait(false);
        var publisher = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)).ConfigureAwait(false);
        var consumer = await connection.CreateChannelAsync().ConfigureAwait(false);
        var queue = "bench-bare-" + Guid.NewGuid().ToString("N")[..6];
        await consumer.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }).ConfigureAwait(false);
        await consumer.BasicQosAsync(0, BrokerBench.Prefetch, global: false).ConfigureAwait(false);
        var bare = new BareClientThroughput(connection, publisher, consumer, queue);
        var handler = new AsyncEventingBasicConsumer(consumer);
        handler.ReceivedAsync += async (_, delivery) =>
        {
            JsonSerializer.Deserialize<BenchPing>(delivery.Body.Span);
            await consumer.BasicAckAsync(delivery.DeliveryTag, multiple: false).ConfigureAwait(false);
            bare.counter.Received();
        };
        await consumer.BasicConsumeAsync(queue, autoAck: false, handler).ConfigureAwait(false);
        return bare;
    }

    public async Task<double> RunAsync(int messages, int batch)
    {
        var all = counter.Expect(messages);
        var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < messages; start += batch)
        {
            var count = Math.Min(batch, messages - start);
            await Task.WhenAll(Enumerable.Range(start, count).Select(i =>
                publisher.BasicPublishAsync("", queue, mandatory: false, properties, JsonSerializer.SerializeToUtf8Bytes(new BenchPing(i, DateTimeOffset.UtcNow, "bare"))).AsTask())).ConfigureAwait(false);
        }

        await all.WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        return clock.Elapsed.TotalSeconds;
    }

    public async ValueTask DisposeAsync()
    {
        await consumer.QueueDeleteAsync(queue).ConfigureAwait(false);
        await consumer.DisposeAsync().ConfigureAwait(false);
        await publisher.DisposeAsync().ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
    }
}
