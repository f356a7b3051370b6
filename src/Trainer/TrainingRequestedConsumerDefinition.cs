using MassTransit;

namespace HotDistance.Trainer;

/// <summary>One training job per runner at a time: a GPU trains one model well, two badly.</summary>
public sealed class TrainingRequestedConsumerDefinition : ConsumerDefinition<TrainingRequestedConsumer>
{
    public TrainingRequestedConsumerDefinition()
    {
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TrainingRequestedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        // One job at a time per runner: a second message would wait for hours in this runner's prefetch.
        endpointConfigurator.PrefetchCount = 1;
    }
}
