using MassTransit;

namespace HotDistance.Publisher;

/// <summary>One promotion decision at a time per publisher (publishers on other hosts also take the promotions lock).</summary>
public sealed class EvaluationCompletedConsumerDefinition : ConsumerDefinition<EvaluationCompletedConsumer>
{
    public EvaluationCompletedConsumerDefinition()
    {
        ConcurrentMessageLimit = 1;
    }
}
