using HotDistance.Messaging;
using MassTransit;

namespace HotDistance.Trainer;

public sealed class CropIngestedConsumerDefinition : ConsumerDefinition<CropIngestedConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CropIngestedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        PipelineEndpoint.ApplyConventions(endpointConfigurator, context, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
    }
}
