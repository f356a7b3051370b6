using System.Globalization;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Xunit.Abstractions;

namespace HotDistance.Tests.Infrastructure;

[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class RabbitMqBrokerFixtureTests(RabbitMqBrokerFixture broker, ITestOutputHelper output)
{
    // Only a guard against a hung broker; delivery on loopback takes milliseconds.
    private static readonly TimeSpan DeliveryGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Message_published_to_a_queue_reaches_its_consumer()
    {
        output.WriteLine(broker.Description);
        var factory = new ConnectionFactory { Uri = broker.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = await channel.QueueDeclareAsync(queue: "", durable: false, exclusive: true, autoDelete: true);

        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            received.TrySetResult(Encoding.UTF8.GetString(delivery.Body.Span));
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: false, consumer);

        var sent = "crop jrc_hela-2/crop_155 " + Guid.NewGuid().ToString("N");
        await channel.BasicPublishAsync(exchange: "", routingKey: queue.QueueName, body: Encoding.UTF8.GetBytes(sent));

        Assert.Equal(sent, await received.Task.WaitAsync(DeliveryGuard));
    }

    [Fact]
    public async Task Broker_runs_with_the_shipped_consumer_timeout_which_outlasts_the_default()
    {
        output.WriteLine(broker.Description);
        var shipped = ShippedConsumerTimeout();
        Assert.True(shipped > TimeSpan.FromMinutes(30), $"infra/rabbitmq/rabbitmq.conf sets consumer_timeout to {shipped}, not above RabbitMQ's 30 min default");

        var effective = await broker.ReadConsumerTimeoutAsync();
        if (effective is null)
        {
            // An external broker's configuration is its owner's business; the fixture cannot read it.
            Assert.Equal(BrokerOrigin.External, broker.Origin);
            output.WriteLine("External broker: its consumer_timeout was not checked.");
            return;
        }

        Assert.Equal(shipped, effective);
    }

    private static TimeSpan ShippedConsumerTimeout()
    {
        var setting = File.ReadAllLines(RabbitMqBrokerFixture.ShippedConfigPath)
            .Select(line => line.Trim())
            .Single(line => line.StartsWith("consumer_timeout", StringComparison.Ordinal));
        var milliseconds = long.Parse(setting.Split('=')[1].Trim(), CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(milliseconds);
    }
}
