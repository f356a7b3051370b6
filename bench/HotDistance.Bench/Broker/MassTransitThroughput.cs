using System.Diagnostics;
using HotDistance.Core;
using HotDistance.Hosting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDistance.Bench.Broker;

/// <summary>Pings through a pipeline host: MassTransit with the pipeline's topology, confirms and persistence.</summary>
internal sealed class MassTransitThroughput : IAsyncDisposable
{
    private readonly IHost host;
    private readonly PingCounter counter = new();

    private MassTransitThroughput(IHost host) => this.host = host;

    public static async Task<MassTransitThroughput> StartAsync(Uri broker, string workspace)
    {
        var settings = new HostSettings
        {
            Pipeline = new PipelineSettings { Workspace = workspace },
            RabbitMqUri = broker,
            EndpointPrefix = "bench-mt-" + Guid.NewGuid().ToString("N")[..6],
            Catalog = "none",
        };
        MassTransitThroughput? created = null;
        var host = PipelineHost.Build(
            settings,
            [],
            (services, bus) =>
            {
                services.AddSingleton(_ => created!.counter);
                bus.AddConsumer<PingConsumer, PingConsumerDefinition>();
            },
            logging => logging.SetMinimumLevel(LogLevel.Warning));
        created = new MassTransitThroughput(host);
        await host.StartAsync().ConfigureAwait(false);
        return created;
    }

    /// <summary>Seconds from the first publish to the last message consumed.</summary>
    public async Task<double> RunAsync(int messages, int batch)
    {
        var bus = host.Services.GetRequiredService<IBus>();
        var all = counter.Expect(messages);
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < messages; start += batch)
        {
            var count = Math.Min(batch, messages - start);
            await Task.WhenAll(Enumerable.Range(start, count).Select(i => bus.Publish(new BenchPing(i, DateTimeOffset.UtcNow, "mt")))).ConfigureAwait(false);
        }

        await all.WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        return clock.Elapsed.TotalSeconds;
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync().ConfigureAwait(false);
        host.Dispose();
    }
}
