using MassTransit;

namespace HotDistance.Messaging;

/// <summary>
/// A consumer that takes one job at a time (a training job, an ablation cell, a prediction block): a GPU runs one
/// such job well and two badly, and a second message would wait in this runner's prefetch while another runner sits
/// idle (a killed runner would also hold, and lose, two).
/// </summary>
public abstract class OneJobPerRunnerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected OneJobPerRunnerDefinition()
    {
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.PrefetchCount = 1;
    }
}
