using System.Collections.Concurrent;
using System.Diagnostics;
using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Hosting;
using HotDistance.Trainer;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HotDistance.Bench.Broker;

/// <summary>
/// The pipeline's own path from a crop arriving to training starting: CropIngested published, the trainer role's
/// consumer and generation planner (debounce 0, one crop per generation, its 250 ms planning tick included), the
/// planner's TrainingRequested publishes, and a consumer standing in for the trainer that notes when the first of
/// the three arrives. One crop at a time, so each latency is unqueued.
/// </summary>
internal static class PipelineLatency
{
    public static async Task<IReadOnlyList<double>> MeasureAsync(Uri broker, string workspace, int crops)
    {
        var arrivals = new TrainingArrivals();
        var settings = new HostSettings
        {
            Pipeline = new PipelineSettings { Workspace = workspace },
            RabbitMqUri = broker,
            EndpointPrefix = "bench-latency-" + Guid.NewGuid().ToString("N")[..6],
            Catalog = "none",
            Trainer = new TrainerSettings { Debounce = TimeSpan.Zero, MaxBatch = 1 },
        };
        using var host = PipelineHost.Build(
            settings,
            [],
            (services, bus) =>
            {
                TrainerRole.AddServices(services);
                services.AddSingleton(arrivals);
                bus.AddConsumer<CropIngestedConsumer>();
                bus.AddConsumer<TrainingArrivalConsumer>();
            },
            logging => logging.SetMinimumLevel(LogLevel.Warning));
        await host.StartAsync().ConfigureAwait(false);
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            var latencies = new List<double>();
            var run = Guid.NewGuid().ToString("N");
            for (var i = 0; i < crops; i++)
            {
                var arrived = arrivals.Expect($"gen-{i + 1:D4}");
                var sent = Stopwatch.GetTimestamp();
                await bus.Publish(new CropIngested(
                    $"c{i}", $"{run}-{i}", $"bench-{i}", CropSplits.Train, ["mito"], [16, 16, 16], [8, 8, 8], "/bench", DateTimeOffset.UtcNow)).ConfigureAwait(false);
                var received = await arrived.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
                latencies.Add(Stopwatch.GetElapsedTime(sent, received).TotalMilliseconds);
            }

            return latencies;
        }
        finally
        {
            await host.StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>When each generation's first training request was consumed (a Stopwatch timestamp).</summary>
    internal sealed class TrainingArrivals
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> pending = new(StringComparer.Ordinal);

        public Task<long> Expect(string generationId) =>
            pending.GetOrAdd(generationId, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public void Arrived(string generationId, long timestamp) =>
            pending.GetOrAdd(generationId, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(timestamp);
    }

    internal sealed class TrainingArrivalConsumer(TrainingArrivals arrivals) : IConsumer<TrainingRequested>
    {
        public Task Consume(ConsumeContext<TrainingRequested> context)
        {
            arrivals.Arrived(context.Message.GenerationId, Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        }
    }
}
