using HotDistance.Core;
using HotDistance.Hosting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using HotDistance.Tests.Infrastructure;

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

    [Fact]
    public void Every_log_line_of_a_host_masks_passwords_in_its_message_and_its_exception()
    {
        using var temp = new TempDirectory();
        using var logs = new CapturedLogs();
        var settings = new HostSettings { Pipeline = new PipelineSettings { Workspace = temp.Path } };
        using var host = PipelineHost.Build(settings, [], logging: l => l.AddProvider(logs));
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MassTransit.Test");

        logger.LogWarning(
            new InvalidOperationException("Npgsql: Host=db;Username=hd;Password=s3cret;Database=hd is not answering"),
            "connecting to {Broker} failed",
            "amqp://hd:s3cret@broker:5672/");

        var line = Assert.Single(logs.Matching("connecting to"));
        Assert.DoesNotContain("s3cret", line, StringComparison.Ordinal);
        Assert.Contains("amqp://hd:***@broker:5672/", line, StringComparison.Ordinal);
        Assert.Contains("Password=***", line, StringComparison.Ordinal);
        Assert.Contains(nameof(InvalidOperationException), line, StringComparison.Ordinal);
    }
}
