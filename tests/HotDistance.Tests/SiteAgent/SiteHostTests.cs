using HotDistance.Catalog;
using HotDistance.Catalog.Status;
using HotDistance.Core;
using HotDistance.Hosting;
using HotDistance.Publisher;
using HotDistance.SiteAgent;
using HotDistance.Tests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotDistance.Tests.SiteAgent;

/// <summary>The site as a host role: the poller catches up, the bus brings promotions and rollbacks.</summary>
public class SiteHostTests
{
    private static IHost BuildSite(string workspace, string site, TimeSpan poll, string? siteId = null) =>
        PipelineHost.Build(
            new HostSettings
            {
                Pipeline = new PipelineSettings { Workspace = workspace },
                Site = new SiteSettings { Directory = site, PollInterval = poll, SiteId = siteId },
            },
            [SiteRole.Name],
            logging: l => l.SetMinimumLevel(LogLevel.Warning));

    [Fact]
    public async Task A_site_that_was_offline_during_promotions_catches_up_by_polling()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));
        var layout = new SiteLayout(temp.Combine("site"));
        await models.PromoteAsync(1);
        using (var online = BuildSite(models.Workspace.Root, layout.Root, TimeSpan.FromHours(1)))
        {
            await online.StartAsync();
            await WaitForVersionAsync(layout, 1);
            await online.StopAsync();
        }

        // Offline: two promotions whose events the site never hears.
        await models.PromoteAsync(2);
        await models.PromoteAsync(3);
        Assert.Equal(1, layout.ReadCurrent()!.Version);

        using var back = BuildSite(models.Workspace.Root, layout.Root, TimeSpan.FromMilliseconds(100));
        await back.StartAsync();
        try
        {
            await WaitForVersionAsync(layout, 3);

            // Still online, a promotion without an event (a lost message) arrives with the next poll.
            await models.PromoteAsync(4);
            await WaitForVersionAsync(layout, 4);
        }
        finally
        {
            await back.StopAsync();
        }

        Assert.Equal(3, layout.ReadCurrent()!.PreviousVersion);
        Assert.Equal([3, 4], layout.ListVersions());
    }

    [Fact]
    public async Task A_rollback_announced_on_the_bus_moves_a_site_back_without_waiting_for_a_poll()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));
        var layout = new SiteLayout(temp.Combine("site"));
        await models.PromoteAsync(1);
        using var host = BuildSite(models.Workspace.Root, layout.Root, TimeSpan.FromHours(1));
        await host.StartAsync();
        try
        {
            await WaitForVersionAsync(layout, 1);
            var bus = host.Services.GetRequiredService<IBus>();
            var promoted = await models.PromoteAsync(2);
            await bus.Publish(promoted);
            await WaitForVersionAsync(layout, 2);

            var rollback = new ChampionRollback(models.Workspace, models.Pipeline, models.Registry);
            var rolledBack = await rollback.RollBackAsync(null, "v2 misses small mitochondria", CancellationToken.None);
            Assert.NotNull(rolledBack);
            Assert.Equal(1, await models.ChampionAsync());
            await bus.Publish(rolledBack);
            await WaitForVersionAsync(layout, 1);
        }
        finally
        {
            await host.StopAsync();
        }

        var current = layout.ReadCurrent()!;
        Assert.Equal(2, current.PreviousVersion);
        Assert.Contains("v2 misses small mitochondria", current.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_site_reports_the_model_it_starts_with_and_each_switch_and_the_catalog_shows_what_it_runs()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));
        var layout = new SiteLayout(temp.Combine("site"));
        var first = await models.PromoteAsync(1);

        // The site runs v1 from an earlier run: starting, it has nothing to switch, and still says what it runs.
        await new ChampionFollower(layout, models.Pipeline, models.Registry, NullLogger<ChampionFollower>.Instance).FollowChampionAsync("an earlier run", null, CancellationToken.None);
        using var host = BuildSite(models.Workspace.Root, layout.Root, TimeSpan.FromHours(1), siteId: "lab-7");
        await host.StartAsync();
        try
        {
            var catalog = host.Services.GetRequiredService<IPipelineCatalog>();
            async Task<SiteEntry?> ReportedAsync() => (await catalog.ReadStatusAsync(StatusLimits.Default, CancellationToken.None)).Sites.SingleOrDefault();
            await Eventually.Until(async () => (await ReportedAsync())?.Version == first.Version, TimeSpan.FromSeconds(60), "the site's report at start of the v1 it runs");

            // The poll is an hour away: only the promotion's event can bring the switch, and its report.
            var second = await models.PromoteAsync(2);
            await host.Services.GetRequiredService<IBus>().Publish(second);
            await Eventually.Until(async () => (await ReportedAsync())?.Version == second.Version, TimeSpan.FromSeconds(60), "the site's report of its switch to v2");

            var site = (await ReportedAsync())!;
            Assert.Equal(("lab-7", models.Pipeline.ModelName, second.Sha256), (site.Site, site.ModelName, site.Sha256));
            Assert.Equal(second.Version, layout.ReadCurrent()!.Version);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>Waits for the site to run <paramref name="version"/>; a generous bound only turns a hang into a failure.</summary>
    private static async Task WaitForVersionAsync(SiteLayout layout, int version)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (layout.ReadCurrent()?.Version != version)
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"the site did not reach v{version}; it runs {layout.ReadCurrent()?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"}");
            }

            await Task.Delay(20);
        }
    }
}
