using MassTransit;

namespace HotDistance.Evaluator.Nightly;

/// <summary>Publishes the evaluator's own events (those not answering a message) on the bus.</summary>
public sealed class BusEvaluatorEvents(IBus bus) : IEvaluatorEvents
{
    public Task PublishAsync<T>(T message, CancellationToken cancellationToken)
        where T : class =>
        bus.Publish(message, cancellationToken);
}
