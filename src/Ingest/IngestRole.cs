using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Ingest;

/// <summary>Wires the ingest role into a host.</summary>
public static class IngestRole
{
    public const string Name = "ingest";

    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton<Quarantine>();
        services.AddScoped<CropIngestor>();
        services.AddHostedService<DropFolderWatcher>();
    }

    public static void AddConsumers(IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<IngestRequestedConsumer, IngestRequestedConsumerDefinition>();
}
