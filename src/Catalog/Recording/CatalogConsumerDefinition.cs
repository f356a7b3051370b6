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
}
