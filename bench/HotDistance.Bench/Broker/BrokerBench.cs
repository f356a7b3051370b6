using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HotDistance.Bench.Harness;

namespace HotDistance.Bench.Broker;

/// <summary>
/// The messaging backbone on a real broker: latency from a crop-ingested publish to the training request being
/// consumed (p50/p99), and message throughput of a pipeline host against a bare RabbitMQ.Client loop, run in
/// alternation (ABBA) in one process. The broker is <see cref="BenchBroker"/>'s.
/// </summary>
internal static class BrokerBench
{
    public const string Part = "broker";

    /// <summary>Prefetch of both throughput sides.</summary>
    public const ushort Prefetch = 32;

    public static int Run(Arguments args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(Arguments args)
    {
        var quick = args.Flag("quick");
        var crops = args.Int("crops", quick ? 30 : 200);
        var messages = args.Int("messages", quick ? 1000 : 5000);
        var batch = args.Int("batch", 100);
        var workspace = Directory.CreateTempSubdirectory("hd-bench-broker-");
        await using var acquired = await BenchBroker.AcquireAsync(args).ConfigureAwait(false);
        var (broker, origin) = (acquired.Uri, acquired.Origin);
        try
        {
            Console.Error.WriteLine($"latency: {crops} crops, one at a time ...");
            var latencies = (await PipelineLatency.MeasureAsync(broker, Path.Combine(workspace.FullName, "latency"), crops + 10).ConfigureAwait(false)).Skip(10).ToList();

            Console.Error.WriteLine($"throughput: {messages} messages per run, publish batches of {batch}, ABBA ...");
            var masstransit = new List<double>();
            var bare = new List<double>();
            await using (var mt = await MassTransitThroughput.StartAsync(broker, Path.Combine(workspace.FullName, "throughput")).ConfigureAwait(false))
            await using (var client = await BareClientThroughput.StartAsync(broker).ConfigureAwait(false))
            {
                // One untimed run each: connection set-up, JIT and queue creation are not throughput.
                await mt.RunAsync(Math.Min(messages, 500), batch).ConfigureAwait(false);
                await client.RunAsync(Math.Min(messages, 500), batch).ConfigureAwait(false);
                for (var round = 0; round < 2; round++)
                {
                    masstransit.Add(messages / await mt.RunAsync(messages, batch).ConfigureAwait(false));
                    bare.Add(messages / await client.RunAsync(messages, batch).ConfigureAwait(false));
                    bare.Add(messages / await client.RunAsync(messages, batch).ConfigureAwait(false));
                    masstransit.Add(messages / await mt.RunAsync(messages, batch).ConfigureAwait(false));
                }
            }

            var result = new JsonObject
            {
                ["broker"] = origin,
                ["latencyCrops"] = latencies.Count,
                ["latencyP50Ms"] = Percentile(latencies, 0.50),
                ["latencyP99Ms"] = Percentile(latencies, 0.99),
                ["latencyMaxMs"] = latencies.Max(),
                ["messages"] = messages,
                ["publishBatch"] = batch,
                ["prefetch"] = Prefetch,
                ["masstransitPerSecond"] = new JsonArray([.. masstransit.Select(v => (JsonNode?)Math.Round(v))]),
                ["barePerSecond"] = new JsonArray([.. bare.Select(v => (JsonNode?)Math.Round(v))]),
                ["cores"] = Environment.ProcessorCount,
            };
            var mtMedian = Statistics.Median(masstransit);
            var bareMedian = Statistics.Median(bare);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"crop-ingested -> training request consumed ({latencies.Count} crops, {origin}): p50 {Percentile(latencies, 0.5):F0} ms, p99 {Percentile(latencies, 0.99):F0} ms, max {latencies.Max():F0} ms"));
            Console.WriteLine("| side | messages/s (median of 4) | ratio to bare |");
            Console.WriteLine("| --- | --- | --- |");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| pipeline host (MassTransit 8.5, quorum queue, confirms) | {mtMedian:F0} | **{mtMedian / bareMedian:F2}** |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| bare RabbitMQ.Client 7 (quorum queue, confirms, manual ack) | {bareMedian:F0} | 1.00 |"));
            var results = args.Text("results", Path.Combine("bench", "results", "broker-latest.json"));
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(results))!);
            await File.WriteAllTextAsync(results, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
            return 0;
        }
        finally
        {
            workspace.Delete(recursive: true);
        }
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static double Percentile(IReadOnlyList<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(fraction * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
