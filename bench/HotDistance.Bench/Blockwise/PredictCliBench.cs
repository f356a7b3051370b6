using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HotDistance.Bench.Harness;

namespace HotDistance.Bench.Blockwise;

/// <summary>
/// The <c>hd predict</c> command itself on a synthetic uint8 volume: the CLI process as a person runs it, with the
/// champion of a real workspace (by default the newest <c>hd demo</c> run's, the pipeline's own trained network) and
/// <c>hd predict</c>'s default blocks and tiles. Its peak resident set is polled from /proc while it runs, which is
/// what issue 14's acceptance bounds (a 1024^3 volume below 2 GiB). The volume is <see cref="BlockwiseBench"/>'s.
/// </summary>
internal static class PredictCliBench
{
    public const string Part = "predict-cli";

    public static int Run(Arguments args)
    {
        var root = RepositoryRoot();
        var workspace = args.Text("workspace", "") is { Length: > 0 } given ? Path.GetFullPath(given) : NewestDemo(root);
        int[] sizes = [.. args.Text("sizes", "512").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
        var work = Directory.CreateTempSubdirectory("hd-bench-predict-cli-");
        var rows = new JsonArray();
        try
        {
            foreach (var size in sizes)
            {
                var input = Path.Combine(work.FullName, $"raw{size}.zarr");
                Console.Error.WriteLine($"writing a {size}^3 uint8 volume ...");
                BlockwiseBench.WriteVolume(input, size);
                Console.Error.WriteLine($"hd predict on {size}^3 with the champion of {workspace} ...");
                var row = RunPredict(root, workspace, input, Path.Combine(work.FullName, $"out{size}.zarr"));
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

        Console.WriteLine($"hd predict (defaults: blocks of 192, tiles of 96), synthetic uint8, the champion of {workspace}, CPU, {Environment.ProcessorCount} cores");
        Console.WriteLine("| volume | exit | wall s | Mvoxels/s | peak RSS MiB |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var row in rows.Select(r => r!))
        {
            var seconds = row["seconds"]!.GetValue<double>();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row["size"]}^3 | {row["exit"]} | {seconds:F1} | {Math.Pow(row["size"]!.GetValue<int>(), 3) / seconds / 1e6:F2} | **{row["peakMiB"]!.GetValue<double>():F0}** |"));
        }

        var results = args.Text("results", Path.Combine("bench", "results", "predict-cli-latest.json"));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(results))!);
        File.WriteAllText(results, rows.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return rows.All(r => r!["exit"]!.GetValue<int>() == 0) ? 0 : 1;
    }

    /// <summary>Runs <c>./hd predict</c> (which execs the CLI in the same process) and polls its VmHWM until it exits.</summary>
    private static JsonObject RunPredict(string root, string workspace, string input, string output)
    {
        var start = new ProcessStartInfo(Path.Combine(root, "hd")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["predict", "--workspace", workspace, "--input", input, "--output", output, "--device", "cpu"])
        {
            start.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var lastLine = string.Empty;
        process.OutputDataReceived += (_, e) => lastLine = e.Data ?? lastLine;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                Console.Error.WriteLine($"  hd: {line}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long peakKiB = 0;
        while (!process.WaitForExit(200))
        {
            peakKiB = Math.Max(peakKiB, PeakMemory.PeakRssKiB(process.Id));
        }

        process.WaitForExit();
        return new JsonObject
        {
            ["exit"] = process.ExitCode,
            ["seconds"] = clock.Elapsed.TotalSeconds,
            ["peakMiB"] = peakKiB / 1024.0,
            ["lastLine"] = lastLine,
        };
    }

    private static string NewestDemo(string root)
    {
        var demos = Path.Combine(root, ".hd", "demo");
        return (Directory.Exists(demos) ? Directory.GetDirectories(demos).Order(StringComparer.Ordinal).LastOrDefault(d => Directory.Exists(Path.Combine(d, "registry"))) : null)
            ?? throw new InvalidOperationException($"no hd demo workspace under {demos}: run ./hd demo first, or give --workspace with a champion");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HotDistance.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("run the bench from the repository (HotDistance.sln not found above it)");
    }
}
