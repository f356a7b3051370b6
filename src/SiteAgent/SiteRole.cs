using HotDistance.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.SiteAgent;

/// <summary>
/// Wires an inference site into a host: the follower, the poller, the reporter, the segmentation of the site's own
/// volumes, and the consumers of promotions and rollbacks on the site's own queue. Needs <see cref="SiteSettings"/> with a folder in the container.
/// </summary>
public static class SiteRole
{
    public const string Name = "site";

    /// <summary>A site listens, and says which model it runs (besides faults and refusals).</summary>
    public static IReadOnlyList<Type> Publishes { get; } = [typeof(SiteReported)];

    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<SiteSettings>();
            return new SiteLayout(settings.Directory
                ?? throw new ArgumentException("the site role needs a folder for its models: hd site --dir <folder> (or HD_SITE_DIR with hd run)"));
        });
        services.AddSingleton<ChampionFollower>();
        services.AddSingleton<SiteReporter>();
        services.AddHostedService<ChampionPoller>();
        services.AddSingleton<SiteVolumeSegmenter>();
        services.AddHostedService<SiteVolumeWorker>();
    }

    public static void AddConsumers(IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<ChampionEventsConsumer, ChampionEventsConsumerDefinition>();
    }
}
