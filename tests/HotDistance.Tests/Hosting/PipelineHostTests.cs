using HotDistance.Core;
using HotDistance.Hosting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HotDistance.Tests.Hosting;

public class PipelineHostTests
{
    [Fact]
    public async Task Starting_a_host_returns_only_once_its_endpoints_can_receive()
    {
        using var temp = new TempDirectory();
        var settings = new HostSettings { Pipeline = new PipelineSettings { Workspace = temp.Path } };
        using var host = PipelineHost.Build(settings, PipelineRoles.All);

        await host.StartAsync();
        try
        {
            // A message published now must find its queues bound; otherwise it is silently dropped.
            var health = host.Services.GetRequiredService<IBusControl>().CheckHealth();
            Assert.True(health.Status == BusHealthStatus.Healthy, health.Description);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
