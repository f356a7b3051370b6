using HotDistance.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Ingest;

/// <summary>Wires the ingest role into a host.</summary>
public static class IngestRole
{
    public const string Name = "ingest";

    /// <summary>The events this role publishes, besides faults and refusals (the broker lets it publish no others).</summary>
    public static IReadOnlyList<Type> Publishes { get; } = [typeof(CropIngested), typeof(CropRejected)];

    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton<Quarantine>();
        services.AddScoped<CropIngestor>();
        services.AddHostedService<DropFolderWatcher>();
        services.AddHostedService<StoredCropAnnouncer>();
    }

    public static void AddConsumers(IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<IngestRequestedConsumer, IngestRequestedConsumerDefinition>();
}
