using HotDistance.Messaging;
using MassTransit;

namespace HotDistance.Catalog.Recording;

/// <summary>
/// One event at a time per host (writes to one database gain nothing from running side by side), retried while
/// the database is briefly away; an event that still fails lands in the catalog's error queue and the pipeline
/// itself carries on, since no role waits for the catalog.
/// </summary>
public sealed class CatalogConsumerDefinition : ConsumerDefinition<CatalogConsumer>
{
    public CatalogConsumerDefinition()
    {
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CatalogConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        PipelineEndpoint.ApplyConventions(endpointConfigurator, context, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15));
    }
}
