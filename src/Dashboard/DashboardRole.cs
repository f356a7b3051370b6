using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Dashboard;

/// <summary>
/// Wires the dashboard into a host: a web server reading the catalog, the workspace and the registry. It consumes and
/// publishes nothing, so it runs beside any roles or alone (<c>hd serve</c>) against a shared workspace and catalog.
/// Needs <see cref="DashboardSettings"/>, the catalog, the workspace and the registry in the container.
/// </summary>
public static class DashboardRole
{
    public const string Name = "serve";

    public static IReadOnlyList<Type> Publishes { get; } = [];

    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton<DashboardData>();
        services.AddSingleton<DashboardServer>();
        services.AddHostedService(provider => provider.GetRequiredService<DashboardServer>());
    }
}
