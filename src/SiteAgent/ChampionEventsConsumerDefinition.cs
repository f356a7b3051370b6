using HotDistance.Messaging;
using MassTransit;

namespace HotDistance.SiteAgent;

/// <summary>This site's own queue (every site hears every event), one message at a time.</summary>
public sealed class ChampionEventsConsumerDefinition : ConsumerDefinition<ChampionEventsConsumer>
{
    public ChampionEventsConsumerDefinition(SiteSettings settings)
    {
        EndpointName = SiteEndpoint.Name(settings);
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ChampionEventsConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        PipelineEndpoint.ApplyConventions(endpointConfigurator, context, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));
    }
}
