using HotDistance.Messaging;
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
        PipelineEndpoint.ApplyConventions(endpointConfigurator, context, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
    }
}
