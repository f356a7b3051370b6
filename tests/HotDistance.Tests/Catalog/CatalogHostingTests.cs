using HotDistance.Catalog;
using HotDistance.Catalog.Recording;
using HotDistance.Catalog.Status;
using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Hosting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Tests.Catalog;

public class CatalogHostingTests
{
    [Fact]
    public async Task Every_host_records_what_is_published_into_the_workspace_catalog_even_with_no_role()
    {
        using var temp = new TempDirectory();
        var settings = new HostSettings { Pipeline = new PipelineSettings { Workspace = temp.Path } };
        using var host = PipelineHost.Build(settings, []);
        await host.StartAsync();
        try
        {
            var catalog = host.Services.GetRequiredService<IPipelineCatalog>();
            Assert.Equal(temp.Combine(CatalogConnection.DefaultFileName), Assert.IsType<SqliteCatalog>(catalog).Path);

            await host.Services.GetRequiredService<IBus>().Publish(CatalogFlow.Crop(1, "train", "mito"));

            // Recording is asynchronous: wait (bounded) for the row rather than for a fixed time.
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while ((await catalog.ReadStatusAsync(StatusLimits.Default, limit.Token)).Crops.Total == 0)
            {
                await Task.Delay(20, limit.Token);
            }

            Assert.Equal([new ClassCount("mito", "train", 1)], (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Crops.ByClass);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void The_catalog_queue_is_one_name_that_every_host_shares()
    {
        // Hosts compete for one queue, so each event is recorded once, by whichever host takes it.
        Assert.Equal("catalog", new KebabCaseEndpointNameFormatter(null, false).Consumer<CatalogConsumer>());
        Assert.Equal("t1-catalog", new KebabCaseEndpointNameFormatter("t1", false).Consumer<CatalogConsumer>());
    }

    [Fact]
    public void The_catalog_records_every_event_a_role_publishes_but_requests_for_retraining()
    {
        // MassTransit binds the catalog's queue to exactly the messages its consumer implements IConsumer<> of.
        var recorded = typeof(CatalogConsumer).GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0]);
        var published = PipelineRoles.Available.SelectMany(PipelineRoles.Publishes).Distinct();

        // A retraining request asks the planner for a generation; the catalog records the generation.
        Assert.Equal([typeof(RetrainingRequested)], published.Except(recorded));
    }

    [Fact]
    public void A_host_with_the_catalog_switched_off_records_nothing()
    {
        using var temp = new TempDirectory();
        var settings = new HostSettings { Pipeline = new PipelineSettings { Workspace = temp.Path }, Catalog = "none" };
        using var host = PipelineHost.Build(settings, []);

        Assert.Null(host.Services.GetService<IPipelineCatalog>());
    }
}
