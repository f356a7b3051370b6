using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Catalog.Recording;

/// <summary>Wires catalog recording into a host: the catalog as a service and <see cref="CatalogConsumer"/> on the bus.</summary>
public static class CatalogRecording
{
    /// <summary>Adds recording unless <paramref name="connection"/> switches the catalog off; returns whether it did.</summary>
    public static bool Add(IServiceCollection services, IBusRegistrationConfigurator bus, CatalogConnection connection)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.Kind == CatalogKind.None)
        {
            return false;
        }

        services.AddSingleton(connection);
        services.AddSingleton(_ => connection.Open());
        bus.AddConsumer<CatalogConsumer, CatalogConsumerDefinition>();
        return true;
    }
}
