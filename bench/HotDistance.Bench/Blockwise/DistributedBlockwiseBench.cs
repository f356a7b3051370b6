using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HotDistance.Bench.Broker;
using HotDistance.Bench.Harness;
using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Hosting;
using HotDistance.Learning.Inference;
using HotDistance.Learning.Training;
using HotDistance.SiteAgent;
using HotDistance.SiteAgent.Blockwise;
using HotDistance.SiteAgent.Predictor;
using HotDistance.Tests.Learning;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDistance.Bench.Blockwise;

/// <summary>
/// <c>hd predict --distribute</c>'s throughput with one predictor against two, side by side in one run (ABBA): the same
/// synthetic uint8 volume segmented by a job dispatched over a real broker to one predictor process, then to two, each
/// predictor with one libtorch thread (the machine has 2 cores: one per predictor). Each side starts its own predictor
/// processes and warms them up on a small untimed job, and stops them after its run. What is timed is the blocks: from the first request to the last done record (the stitching pass, done by
/// the requester alike in both, is reported apart). Goal: two predictors at least 1.8x one's voxels per second.
/// </summary>
internal static class DistributedBlockwiseBench
{
    public const string Part = "blockwise-distribute";

    public const string ChildCommand = "child-predictor";

    public const string SpinCommand = "child-spin";

    private const string Ready = "@ready";

    public static int Run(Arguments args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(Arguments args)
    {
        var size = args.Int("size", 192);
        var block = args.Int("block", 64);
        var tile = args.Int("tile", 32);
        var rounds = args.Int("rounds", 2);
        var work = Directory.CreateTempSubdirectory("hd-bench-distribute-");
        await using var broker = await BenchBroker.AcquireAsync(args).ConfigureAwait(false);
        try
        {
            Console.Error.WriteLine("training the tiny hot-distance model (2 steps) ...");
            var trained = await new VariantTrainer(TinyTraining.Settings(steps: 2))
                .RunAsync(TinyTraining.Job(Path.Combine(work.FullName, "job"), Variants.HotDistance), null, CancellationToken.None).ConfigureAwait(false);
            var input = Path.Combine(work.FullName, "raw.zarr");
            Console.Error.WriteLine($"writing a {size}^3 uint8 volume ...");
            BlockwiseBench.WriteVolume(input, size);
            var warmUp = Path.Combine(work.FullName, "warm-up.zarr");
            BlockwiseBench.WriteVolume(warmUp, 2 * block);
            const string Solo = "solo";
            const string Duo = "duo";

            using var model = LoadedModel.FromDirectory(trained.CheckpointDirectory, null, null);
            var settings = new BlockwiseSettings { BlockEdge = block, Tiling = new TilingOptions { CoreSize = [tile, tile, tile] } };
            var load = new List<string> { MachineInfo.LoadAverage() };
            var ceilings = new List<double> { CoreCeiling() };
            var measured = new Dictionary<string, List<BlockwiseResult>> { [Solo] = [], [Duo] = [] };
            var run = 0;
            async Task<BlockwiseResult> JobAsync(string raw)
            {
                var output = Path.Combine(work.FullName, $"out{run++}.zarr");
                var result = await DispatchAsync(broker.Uri, work.FullName, model, trained.CheckpointDirectory, raw, output, settings).ConfigureAwait(false);
                Directory.Delete(output, recursive: true);
                return result;
            }

            // Each side gets predictor processes of its own, started for it and warmed up (model load, JIT) on a small
            // job first: every predictor of a pipeline hears every block request (queue prefixes separate queues, not
            // the message's exchange), so the other side's predictors must not be running.
            async Task<BlockwiseResult> SideAsync(string side)
            {
                var predictors = new List<Process>();
                try
                {
                    foreach (var name in side == Solo ? new[] { "solo" } : ["duo-a", "duo-b"])
                    {
                        predictors.Add(StartPredictor(broker.Uri, name, work.FullName));
                    }

                    await JobAsync(warmUp).ConfigureAwait(false);
                    return await JobAsync(input).ConfigureAwait(false);
                }
                finally
                {
                    foreach (var predictor in predictors)
                    {
                        predictor.Kill(entireProcessTree: true);
                        await predictor.WaitForExitAsync().ConfigureAwait(false);
                        predictor.Dispose();
                    }
                }
            }

            for (var round = 0; round < rounds; round++)
            {
                foreach (var side in round % 2 == 0 ? new[] { Solo, Duo } : [Duo, Solo])
                {
                    Console.Error.WriteLine($"round {round + 1}: {side} ...");
                    measured[side].Add(await SideAsync(side).ConfigureAwait(false));
                }
            }

            load.Add(MachineInfo.LoadAverage());
            ceilings.Add(CoreCeiling());
            var voxels = (double)size * size * size;
            double Rate(BlockwiseResult r) => voxels / r.Predicting.TotalSeconds;
            var soloRate = Statistics.Median([.. measured[Solo].Select(Rate)]);
            var duoRate = Statistics.Median([.. measured[Duo].Select(Rate)]);
            var blocks = measured[Solo][0].BlocksComputed;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"what the machine gave a second busy process at the same moment (two spinning processes against one, before and after): {ceilings[0]:F2}x, {ceilings[1]:F2}x"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"hd predict --distribute, {size}^3 uint8 in {blocks} blocks of {block} (tiles of {tile}), tiny hot-distance U-Net, CPU, {Environment.ProcessorCount} cores, one libtorch thread per predictor, {broker.Origin}, ABBA x {rounds}; load average {load[0]} -> {load[1]}"));
            Console.WriteLine("| predictors | blocks s (each run) | Mvoxels/s (median) | stitching + pyramid s (median) | ratio |");
            Console.WriteLine("| --- | --- | --- | --- | --- |");
            foreach (var (side, count, rate) in new[] { (Solo, 1, soloRate), (Duo, 2, duoRate) })
            {
                var runs = string.Join(", ", measured[side].Select(r => r.Predicting.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)));
                var finish = Statistics.Median([.. measured[side].Select(r => (r.Stitching + r.Pyramid).TotalSeconds)]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {count} | {runs} | {rate / 1e6:F2} | {finish:F1} | **{rate / soloRate:F2}** |"));
            }

            var results = args.Text("results", Path.Combine("bench", "results", "blockwise-distribute-latest.json"));
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(results))!);
            var json = new JsonObject
            {
                ["size"] = size,
                ["blocks"] = blocks,
                ["soloVoxelsPerSecond"] = soloRate,
                ["duoVoxelsPerSecond"] = duoRate,
                ["ratio"] = duoRate / soloRate,
                ["coreCeiling"] = new JsonArray([.. ceilings.Select(c => (JsonNode?)JsonValue.Create(c))]),
                ["loadAverage"] = new JsonArray([.. load.Select(l => (JsonNode?)JsonValue.Create(l))]),
            };
            await File.WriteAllTextAsync(results, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The peer that bounds the ratio: how much more work two busy processes get done than one in the same few seconds
    /// (2.0 on two idle cores). On a machine others share, a second predictor cannot get more than this.
    /// </summary>
    private static double CoreCeiling()
    {
        static Process Spin()
        {
            var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running");
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in (string[])[.. Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(DistributedBlockwiseBench).Assembly.Location] : Array.Empty<string>(), SpinCommand])
            {
                start.ArgumentList.Add(a);
            }

            return Process.Start(start)!;
        }

        static double Count(Process process)
        {
            var count = double.Parse(process.StandardOutput.ReadToEnd().Trim(), CultureInfo.InvariantCulture);
            process.WaitForExit();
            process.Dispose();
            return count;
        }

        var alone = Count(Spin());
        var pair = new[] { Spin(), Spin() };
        return pair.Sum(Count) / alone;
    }

    /// <summary>Counts loop turns of a busy loop for three seconds: the unit <see cref="CoreCeiling"/> compares.</summary>
    public static int Spin()
    {
        var clock = Stopwatch.StartNew();
        long turns = 0;
        while (clock.ElapsedMilliseconds < 3000)
        {
            for (var i = 0; i < 10_000; i++)
            {
                turns++;
            }
        }

        Console.WriteLine(turns.ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    /// <summary>One job, planned and dispatched as <c>hd predict --distribute</c> does.</summary>
    private static async Task<BlockwiseResult> DispatchAsync(Uri broker, string workspace, LoadedModel model, string checkpoint, string input, string output, BlockwiseSettings settings)
    {
        var raw = RawSource.FromArray(ZarrArray.Open(input));
        var job = BlockwiseSegmenter.PlanJob(model, raw, "bench", [0, 0, 0], VoxelSize.Isotropic(8), [0, 0, 0], new HashSet<string>(model.Metadata.Classes), settings) with { InputArray = input };
        var segmenter = BlockwiseSegmenter.Open(model, raw, output, job, new JsonObject(), force: true, TorchSharp.torch.CPU);
        using var host = PipelineHost.Build(Settings(broker, workspace), [], logging: l => l.SetMinimumLevel(LogLevel.Warning));
        await host.StartAsync().ConfigureAwait(false);
        try
        {
            var dispatcher = new BlockDispatcher(host.Services.GetRequiredService<IBus>(), segmenter, TimeSpan.FromMilliseconds(100));
            dispatcher.ShareModel(checkpoint);
            return await dispatcher.RunAsync(null, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await host.StopAsync().ConfigureAwait(false);
        }
    }

    private static HostSettings Settings(Uri broker, string workspace) => new()
    {
        Pipeline = new PipelineSettings { Workspace = workspace },
        RabbitMqUri = broker,
        EndpointPrefix = "bench",
        Catalog = "none",
    };

    /// <summary>A predictor process (this executable's <see cref="ChildCommand"/>), returned once it consumes.</summary>
    private static Process StartPredictor(Uri broker, string name, string workspace)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running");
        string[] host = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(DistributedBlockwiseBench).Assembly.Location] : [];
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in (string[])[.. host, ChildCommand, "--rabbitmq", broker.ToString(), "--name", name, "--workspace", workspace])
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start)!;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line == Ready)
            {
                return process;
            }
        }

        throw new InvalidOperationException($"predictor {name} exited before it was ready (exit {process.ExitCode})");
    }

    /// <summary>A predictor as <c>hd run --roles predictor</c> composes it, with one libtorch thread, until killed.</summary>
    public static int Child(Arguments args)
    {
        var settings = Settings(new Uri(args.Required("rabbitmq")), args.Required("workspace")) with
        {
            Predictor = new PredictorSettings { Device = "cpu", TorchThreads = 1, WorkerName = args.Required("name") },
        };
        // Each block's predictor and seconds on stderr (the bench's own; stdout is not read after ready), so a run shows how the blocks were shared.
        using var host = PipelineHost.Build(settings, [PredictorRole.Name], logging: l => l.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).AddSimpleConsole(o => o.SingleLine = true).AddFilter((category, level) => level >= LogLevel.Warning || (category ?? string.Empty).Contains("Predictor", StringComparison.Ordinal)));
        host.StartAsync().GetAwaiter().GetResult();
        Console.WriteLine(Ready);
        host.WaitForShutdown();
        return 0;
    }
}
