using HotDistance.Messaging;
using MassTransit;

namespace HotDistance.SiteAgent;

/// <summary>Puts the promotion consumer on this site's own queue, one message at a time.</summary>
public sealed class ModelPromotedConsumerDefinition : ConsumerDefinition<ModelPromotedConsumer>
{
    public ModelPromotedConsumerDefinition(SiteSettings settings)
    {
        EndpointName = SiteEndpoint.Name(settings);
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ModelPromotedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        PipelineEndpoint.ApplyConventions(endpointConfigurator, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));
    }
}

/// <summary>Puts the rollback consumer on the same queue as promotions, so the site handles them in order.</summary>
public sealed class ChampionRolledBackConsumerDefinition : ConsumerDefinition<ChampionRolledBackConsumer>
{
    public ChampionRolledBackConsumerDefinition(SiteSettings settings)
    {
        EndpointName = SiteEndpoint.Name(settings);
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ChampionRolledBackConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        PipelineEndpoint.ApplyConventions(endpointConfigurator, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));
    }
}
