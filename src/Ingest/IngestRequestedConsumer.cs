using HotDistance.Contracts;
using MassTransit;

namespace HotDistance.Ingest;

/// <summary>Ingests on request over the bus; idempotent because the store recognises content it already has.</summary>
public sealed class IngestRequestedConsumer(CropIngestor ingestor) : IConsumer<IngestRequested>
{
    public Task Consume(ConsumeContext<IngestRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ingestor.IngestAsync(context.Message.SourcePath, context.Message.Split, context.CancellationToken);
    }
}
