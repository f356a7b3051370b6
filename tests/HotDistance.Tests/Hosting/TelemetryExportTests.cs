using System.Collections.Concurrent;
using System.Net;
using System.Text;
using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Hosting;
using HotDistance.Learning.Training;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Learning;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HotDistance.Tests.Hosting;

/// <summary>
/// With an OTLP endpoint configured, a host exports traces (MassTransit's and a span per training job) and metrics
/// (training steps) over OTLP/HTTP; here to a listener standing in for the collector.
/// </summary>
public sealed class TelemetryExportTests
{
    [Fact]
    public async Task A_host_with_an_otlp_endpoint_exports_training_spans_bus_spans_and_step_counts()
    {
        using var temp = new TempDirectory();
        var port = LoopbackPorts.Reserve(1)[0];
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = new ConcurrentQueue<(string Path, byte[] Body)>();
        var listening = Task.Run(async () =>
        {
            while (collector.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await collector.GetContextAsync();
                }
                catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                received.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        var settings = new HostSettings
        {
            Pipeline = new PipelineSettings { Workspace = temp.Combine("workspace") },
            Catalog = "none",
            OtlpEndpoint = new Uri($"http://127.0.0.1:{port}"),
        };
        using (var host = PipelineHost.Build(settings, []))
        {
            await host.StartAsync();
            await host.Services.GetRequiredService<IBus>().Publish(new PromotionDeclined("gen-telemetry", "a span for the bus", DateTimeOffset.UtcNow));
            await new VariantTrainer(TinyTraining.Settings(steps: 2)).RunAsync(TinyTraining.Job(temp.Combine("train"), Variants.OneHot), null, CancellationToken.None);
            await host.StopAsync();
        }

        // Disposing the host flushed both exporters.
        string Sent(string path) => string.Concat(received.Where(r => r.Path == path).Select(r => Encoding.UTF8.GetString(r.Body)));
        Assert.Contains("train one-hot", Sent("/v1/traces"), StringComparison.Ordinal);
        Assert.Contains("PromotionDeclined", Sent("/v1/traces"), StringComparison.Ordinal);
        Assert.Contains("hd.training.steps", Sent("/v1/metrics"), StringComparison.Ordinal);
        collector.Stop();
        await listening;
    }
}
