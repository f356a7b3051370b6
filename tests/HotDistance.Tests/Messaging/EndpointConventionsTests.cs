using System.Collections.Concurrent;
using HotDistance.Core.Security;
using HotDistance.Messaging;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Pipeline;
using MassTransit;

namespace HotDistance.Tests.Messaging;

/// <summary>
/// The endpoint conventions reach every consumer a host registers, even one with no definition that never asks
/// for them: its queue is a quorum queue with a delivery limit and a dead-letter queue, a failure is retried until
/// it succeeds, and a permanent failure is tried once and parked.
/// </summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class EndpointConventionsTests(RabbitMqBrokerFixture broker)
{
    [Fact]
    public async Task A_consumer_without_a_definition_gets_retries_a_fault_at_once_for_permanent_failures_and_a_quorum_queue()
    {
        await using var pipeline = new BrokerPipeline(broker.AmqpUri);
        await pipeline.StartAsync([], (_, bus) => bus.AddConsumer<ConventionProbeConsumer>());
        var queue = $"{pipeline.Settings.EndpointPrefix}-convention-probe";

        var flaky = "flaky-" + Guid.NewGuid().ToString("N");
        await pipeline.Bus.Publish(new ConventionProbe(flaky, FailFirst: 3, Untrusted: false));
        await pipeline.UntilAsync(() => ConventionProbeConsumer.Succeeded.ContainsKey(flaky), TimeSpan.FromMinutes(1), "the flaky probe to succeed on a retry");
        Assert.Equal(4, ConventionProbeConsumer.Attempts[flaky]);

        var untrusted = "untrusted-" + Guid.NewGuid().ToString("N");
        await pipeline.Bus.Publish(new ConventionProbe(untrusted, FailFirst: 0, Untrusted: true));
        await pipeline.UntilAsync(() => MessagesIn(queue + "_error") == 1, TimeSpan.FromMinutes(1), "the untrusted probe in the error queue");
        Assert.Equal(1, ConventionProbeConsumer.Attempts[untrusted]);

        var arguments = Listing("list_queues", "name", "arguments").Single(l => l.StartsWith(queue + "\t", StringComparison.Ordinal));
        Assert.Contains("{\"x-queue-type\",\"quorum\"}", arguments, StringComparison.Ordinal);
        Assert.Contains($"{{\"x-delivery-limit\",{PipelineEndpoint.DeliveryLimit}}}", arguments, StringComparison.Ordinal);
        Assert.Contains($"{{\"x-dead-letter-exchange\",\"{queue}_dead\"}}", arguments, StringComparison.Ordinal);
    }

    private int MessagesIn(string queue) =>
        Listing("list_queues", "name", "messages").Where(l => l.StartsWith(queue + "\t", StringComparison.Ordinal)).Select(l => int.Parse(l.Split('\t')[1], System.Globalization.CultureInfo.InvariantCulture)).SingleOrDefault();

    private string[] Listing(params string[] arguments) =>
        broker.RabbitmqctlAsync(["-q", .. arguments]).GetAwaiter().GetResult().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public sealed record ConventionProbe(string ProbeId, int FailFirst, bool Untrusted);

/// <summary>Fails its first attempts (or refuses outright) and counts every attempt per probe.</summary>
public sealed class ConventionProbeConsumer : IConsumer<ConventionProbe>
{
    public static ConcurrentDictionary<string, int> Attempts { get; } = new(StringComparer.Ordinal);

    public static ConcurrentDictionary<string, bool> Succeeded { get; } = new(StringComparer.Ordinal);

    public Task Consume(ConsumeContext<ConventionProbe> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var probe = context.Message;
        var attempt = Attempts.AddOrUpdate(probe.ProbeId, 1, (_, n) => n + 1);
        if (probe.Untrusted)
        {
            throw new UntrustedInputException(probe.ProbeId, "a probe that can never succeed");
        }

        if (attempt <= probe.FailFirst)
        {
            throw new InvalidOperationException($"attempt {attempt} of probe {probe.ProbeId} fails on purpose");
        }

        Succeeded[probe.ProbeId] = true;
        return Task.CompletedTask;
    }
}
