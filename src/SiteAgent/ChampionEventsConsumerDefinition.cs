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
}
