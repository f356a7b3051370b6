using System.Text.Json;
using HotDistance.Hosting;
using HotDistance.Messaging;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Pipeline;
using Xunit.Abstractions;

namespace HotDistance.Tests.Messaging;

/// <summary>What the roles declare on a real broker: the queues that must survive restarts and runner deaths.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class BrokerTopologyTests(RabbitMqBrokerFixture broker, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_role_queue_is_a_durable_quorum_queue_that_dead_letters_past_its_delivery_limit()
    {
        await using var pipeline = new BrokerPipeline(broker.AmqpUri);
        await pipeline.StartAsync(PipelineRoles.All);

        var listing = await broker.RabbitmqctlAsync("list_queues", "-q", "--formatter", "json", "name", "type", "durable", "arguments");
        output.WriteLine(listing);
        var queues = JsonDocument.Parse(listing).RootElement.EnumerateArray()
            .Where(q => q.GetProperty("name").GetString()!.StartsWith(pipeline.Settings.EndpointPrefix!, StringComparison.Ordinal))
            .ToDictionary(q => q.GetProperty("name").GetString()!, q => q);

        string[] consumers = ["ingest-requested", "crop-ingested", "training-requested", "retraining-requested", "model-trained", "evaluation-completed", "catalog"];
        foreach (var consumer in consumers)
        {
            var name = $"{pipeline.Settings.EndpointPrefix}-{consumer}";
            Assert.True(queues.TryGetValue(name, out var queue), $"no queue {name}");
            Assert.Equal("quorum", queue.GetProperty("type").GetString());
            Assert.True(queue.GetProperty("durable").GetBoolean(), $"{name} is not durable");
            // rabbitmqctl lists each argument as [name, AMQP type, value].
            var arguments = queue.GetProperty("arguments").EnumerateArray().ToDictionary(a => a[0].GetString()!, a => a[2]);
            Assert.Equal(PipelineEndpoint.DeliveryLimit, arguments["x-delivery-limit"].GetInt32());
            Assert.Equal(name + "_dead", arguments["x-dead-letter-exchange"].GetString());
            Assert.True(queues.ContainsKey(name + "_dead"), $"{name}_dead was not declared, so a dead-lettered message would be dropped");
        }
    }
}
