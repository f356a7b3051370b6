using MassTransit;

namespace HotDistance.Trainer;

/// <summary>
/// A training runner's consumer that takes one job at a time, of any kind (<see cref="TrainingJobsEndpoint{TConsumer}"/>):
/// a GPU trains one model well, two badly, and a second message would wait for hours in this runner's prefetch while
/// another runner sits idle.
/// </summary>
public abstract class OneJobPerRunnerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected OneJobPerRunnerDefinition()
    {
        ConcurrentMessageLimit = 1;
        EndpointDefinition = new TrainingJobsEndpoint<TConsumer>();
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
