using MassTransit;

namespace HotDistance.Ingest;

/// <summary>
/// At most two crops at a time per ingest host: two overlap one crop's reads with the other's hashing, and a small
/// limit keeps a burst from a drop folder from starving the other roles of a one-process pipeline.
/// </summary>
public sealed class IngestRequestedConsumerDefinition : ConsumerDefinition<IngestRequestedConsumer>
{
    public IngestRequestedConsumerDefinition()
    {
        ConcurrentMessageLimit = 2;
    }
}
