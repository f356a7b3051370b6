using MassTransit;

namespace HotDistance.Bench.Broker;

/// <summary>Counts pings and completes when the expected number has arrived.</summary>
internal sealed class PingCounter
{
    private int received;
    private int expected = int.MaxValue;
    private TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Expect(int count)
    {
        received = 0;
        expected = count;
        done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return done.Task;
    }

    public void Received()
    {
        if (Interlocked.Increment(ref received) == expected)
        {
            done.TrySetResult();
        }
    }
}

/// <summary>The MassTransit side's consumer: counts and returns.</summary>
internal sealed class PingConsumer(PingCounter counter) : IConsumer<BenchPing>
{
    public Task Consume(ConsumeContext<BenchPing> context)
    {
        counter.Received();
        return Task.CompletedTask;
    }
}

/// <summary>The prefetch both sides share; the host applies the pipeline's endpoint conventions (quorum queue, retry).</summary>
internal sealed class PingConsumerDefinition : ConsumerDefinition<PingConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PingConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.PrefetchCount = BrokerBench.Prefetch;
}
