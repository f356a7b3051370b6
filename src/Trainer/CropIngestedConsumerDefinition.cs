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
        endpointConfigurator.UseMessageRetry(r => r.Intervals(100, 500, 2000));
    }
}
