using HotDistance.Learning.Training;
using HotDistance.Messaging;
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
        endpointConfigurator.PrefetchCount = 1;
        PipelineEndpoint.ApplyConventions(endpointConfigurator, context, e => e is TrainingDivergedException, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));
    }
}
