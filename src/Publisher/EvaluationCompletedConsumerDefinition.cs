using MassTransit;

namespace HotDistance.Publisher;

public sealed class EvaluationCompletedConsumerDefinition : ConsumerDefinition<EvaluationCompletedConsumer>
{
    public EvaluationCompletedConsumerDefinition()
    {
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<EvaluationCompletedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.UseMessageRetry(r => r.Intervals(500, 2000, 10000));
    }
}
