using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HotDistance.Bench.Harness;
using HotDistance.Contracts;
using HotDistance.Core.Blockwise;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Learning.Inference;
using HotDistance.Learning.Training;
using HotDistance.SiteAgent;
using HotDistance.SiteAgent.Blockwise;
using HotDistance.Tests.Learning;

namespace HotDistance.Bench.Blockwise;

/// <summary>
/// Blockwise prediction (<c>hd predict</c>'s engine) on synthetic uint8 volumes of 256^3 and 512^3 (and 1024^3
/// with --large), side by side in one run: voxels per second, peak resident memory (each size in a fresh process,
/// so its high-water mark is its own), and the share of the stitching pass. The goal is memory flat as the volume
/// grows 8x: the 512^3 / 256^3 peak ratio near 1. The model is the tests' tiny hot-distance U-Net (4 base
/// features, one 2x2x2 level) trained for two steps: the figures measure the engine, not a production network.
/// </summary>
internal static class BlockwiseBench
{
    public const string Part = "blockwise";

    public const string ChildCommand = "child-blockwise";

    public static int Run(Arguments args)
    {
        int[] sizes = args.Text("sizes", "") is { Length: > 0 } listed
            ? [.. listed.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]
            : args.Flag("quick") ? [64, 128] : args.Flag("large") ? [256, 512, 1024] : [256, 512];
        var block = args.Int("block", 192);
        var work = Directory.CreateTempSubdirectory("hd-bench-blockwise-");
        var rows = new JsonArray();
        try
        {
            Console.Error.WriteLine("training the tiny hot-distance model (2 steps) ...");
            var trained = new VariantTrainer(TinyTraining.Settings(steps: 2))
                .RunAsync(TinyTraining.Job(args.Text("model-dir", Path.Combine(work.FullName, "job")), Variants.HotDistance), null, CancellationToken.None).GetAwaiter().GetResult();
            foreach (var size in sizes)
            {
                var input = Path.Combine(work.FullName, $"raw{size}.zarr");
                Console.Error.WriteLine($"writing a {size}^3 uint8 volume ...");
                WriteVolume(input, size);
                Console.Error.WriteLine($"segmenting {size}^3 in blocks of {block} in a fresh process ...");
                var row = RunChild(input, trained.CheckpointDirectory, Path.Combine(work.FullName, $"out{size}.zarr"), block, args.Int("tile", 96));
                row["size"] = size;
                rows.Add(row);
                Directory.Delete(Path.Combine(work.FullName, $"out{size}.zarr"), recursive: true);
                Directory.Delete(input, recursive: true);
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }

        var first = rows[0]!;
        Console.WriteLine($"Blockwise prediction, synthetic uint8, block {block}, tiny hot-distance U-Net, CPU, {Environment.ProcessorCount} cores; ratios against {first["size"]}^3");
        Console.WriteLine("| volume | blocks | total s | Mvoxels/s | blocks s | stitching s (share) | pyramid s | peak RSS MiB | peak ratio | throughput ratio |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var row in rows.Select(r => r!))
        {
            double P(JsonNode node, string f) => node[f]!.GetValue<double>();
            var total = P(row, "seconds");
            var rate = P(row, "voxels") / total / 1e6;
            var firstRate = P(first, "voxels") / P(first, "seconds") / 1e6;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row["size"]}^3 | {row["blocks"]} | {total:F1} | {rate:F2} | {P(row, "predicting"):F1} | {P(row, "stitching"):F1} ({100 * P(row, "stitching") / total:F1}%) | {P(row, "pyramid"):F1} | {P(row, "peakMiB"):F0} | **{P(row, "peakMiB") / P(first, "peakMiB"):F2}** | {rate / firstRate:F2} |"));
        }

        var results = args.Text("results", Path.Combine("bench", "results", "blockwise-latest.json"));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(results))!);
        File.WriteAllText(results, rows.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    /// <summary>One size, in a fresh process: opens the job, runs every block, stitches, builds the pyramid.</summary>
    public static int Child(Arguments args)
    {
        var input = RawSource.FromArray(ZarrArray.Open(args.Required("input")));
        using var model = LoadedModel.FromDirectory(args.Required("model"), null, null);
        var tile = args.Int("tile", 96);
        var settings = new BlockwiseSettings { BlockEdge = args.Int("block", 192), Tiling = new TilingOptions { CoreSize = [tile, tile, tile] } };
        var job = BlockwiseSegmenter.PlanJob(model, input, "bench", [0, 0, 0], VoxelSize.Isotropic(8), [0, 0, 0], new HashSet<string>(model.Metadata.Classes), settings);
        var clock = Stopwatch.StartNew();
        var segmenter = BlockwiseSegmenter.Open(model, input, args.Required("output"), job, new JsonObject(), force: true, TorchSharp.torch.CPU);
        // The high-water mark after each block, to stderr: flat memory means it stops rising after the first blocks.
        var result = segmenter.Run(new SynchronousProgress(p => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Stage} {p.Done}/{p.Total}: peak {PeakMemory.PeakRssKiB() / 1024} MiB"))));
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(new JsonObject
        {
            ["seconds"] = seconds,
            ["predicting"] = result.Predicting.TotalSeconds,
            ["stitching"] = result.Stitching.TotalSeconds,
            ["pyramid"] = result.Pyramid.TotalSeconds,
            ["voxels"] = (double)input.Shape.Count,
            ["blocks"] = segmenter.Plan.Count,
            ["instances"] = new JsonObject(result.Instances.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["peakMiB"] = PeakMemory.PeakRssKiB() / 1024.0,
        }.ToJsonString());
        return 0;
    }

    /// <summary>
    /// A volume of blob-like structures (smooth waves plus a little noise), written one 64^3 chunk at a time so
    /// making a 1024^3 volume needs no more memory than reading it.
    /// </summary>
    internal static void WriteVolume(string path, int size)
    {
        var array = ZarrArray.Create<byte>(path, [size, size, size], [64, 64, 64], new ZarrWriteOptions { Overwrite = true });
        var plan = new BlockPlan(new Shape3(size, size, size), new Shape3(64, 64, 64));
        foreach (var chunk in plan.All())
        {
            var shape = Shape3.FromArray(chunk.Shape);
            var values = new byte[shape.Count];
            var noise = new Random(chunk.Index);
            for (var z = 0; z < shape.Z; z++)
            {
                for (var y = 0; y < shape.Y; y++)
                {
                    for (var x = 0; x < shape.X; x++)
                    {
                        var (gz, gy, gx) = (chunk.Start[0] + z, chunk.Start[1] + y, chunk.Start[2] + x);
                        var wave = Math.Sin(gz / 7.0) * Math.Sin(gy / 9.0) * Math.Sin(gx / 11.0);
                        values[shape.Index(z, y, x)] = (byte)Math.Clamp(128 + (110 * wave) + noise.Next(-10, 11), 0, 255);
                    }
                }
            }

            array.WriteRegion<byte>([chunk.Start[0], chunk.Start[1], chunk.Start[2]], chunk.Shape, values);
        }
    }

    private static JsonObject RunChild(string input, string model, string output, int block, int tile)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running");
        string[] host = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(BlockwiseBench).Assembly.Location] : [];
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in (string[])[.. host, ChildCommand, "--input", input, "--model", model, "--output", output, "--block", block.ToString(CultureInfo.InvariantCulture), "--tile", tile.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the blockwise child failed (exit {process.ExitCode}): {text}");
        }

        return JsonNode.Parse(text.Trim().Split('\n')[^1])!.AsObject();
    }

    private sealed class SynchronousProgress(Action<BlockwiseProgress> report) : IProgress<BlockwiseProgress>
    {
        public void Report(BlockwiseProgress value) => report(value);
    }
}
