using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HotDistance.Bench.Harness;

namespace HotDistance.Bench.ZarrRead;

/// <summary>
/// Zarr read throughput: a 256^3 uint8 array (64^3 chunks) compressed with zstd and with blosc-lz4, written by
/// zarr-python, read whole by HotDistance's <c>ZarrArray</c> and by zarr-python from the same files. Every side
/// runs in a fresh process, in ABBA order (python, C#, C#, python) so drifting load lands on both; the C# side
/// reads once untimed (warm-up), runs once with all cores and once limited to one (DOTNET_PROCESSOR_COUNT=1), since zarr-python decodes
/// chunks one after another.
/// </summary>
internal static class ZarrReadBench
{
    public const string Part = "zarr";

    private static readonly string[] Codecs = ["zstd", "blosc-lz4"];

    public static int Run(Arguments args)
    {
        var python = args.Text("python", "/usr/bin/python3");
        var size = args.Int("size", args.Flag("quick") ? 64 : 256);
        var repeats = args.Int("repeats", args.Flag("quick") ? 2 : 5);
        var script = Path.Combine(AppContext.BaseDirectory, "peers", "zarr_read.py");
        var work = Directory.CreateTempSubdirectory("hd-bench-zarr-");
        var rows = new JsonArray();
        try
        {
            Console.Error.WriteLine($"writing {size}^3 uint8 arrays with zarr-python ...");
            RunProcess(python, [script, "write", work.FullName, Text(size)], null);
            foreach (var codec in Codecs)
            {
                var path = Path.Combine(work.FullName, codec + ".zarr");
                var bytes = new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
                var py = new List<JsonNode>();
                var cs = new List<JsonNode>();
                var cs1 = new List<JsonNode>();
                Console.Error.WriteLine($"{codec}: reading {repeats}x per round, two ABBA rounds ...");
                for (var round = 0; round < 2; round++)
                {
                    py.Add(RunProcess(python, [script, "read", path, Text(repeats)], null));
                    cs.Add(RunChild(path, repeats, null));
                    cs1.Add(RunChild(path, repeats, "1"));
                    py.Add(RunProcess(python, [script, "read", path, Text(repeats)], null));
                }

                var checksums = py.Concat(cs).Concat(cs1).Select(r => r["checksum"]!.GetValue<long>()).Distinct().ToArray();
                if (checksums.Length != 1)
                {
                    throw new InvalidOperationException($"{codec}: the sides read different data (checksums {string.Join(", ", checksums)})");
                }

                double Median(List<JsonNode> runs, string field) =>
                    Statistics.Median(runs.SelectMany(r => r[field]!.AsArray().Select(v => v!.GetValue<double>())).ToArray());
                var megabytes = (double)size * size * size / (1024 * 1024);
                var row = new JsonObject
                {
                    ["codec"] = codec,
                    ["size"] = size,
                    ["compressedMiB"] = Math.Round(bytes / (1024.0 * 1024), 2),
                    ["pythonMedianS"] = Median(py, "seconds"),
                    ["csharpMedianS"] = Median(cs, "seconds"),
                    ["csharp1ThreadMedianS"] = Median(cs1, "seconds"),
                    ["pythonCpuMedianS"] = Median(py, "cpuSeconds"),
                    ["csharpCpuMedianS"] = Median(cs, "cpuSeconds"),
                    ["pythonPeakMiB"] = py.Max(r => r["peakRssKiB"]!.GetValue<long>()) / 1024,
                    ["csharpPeakMiB"] = cs.Max(r => r["peakRssKiB"]!.GetValue<long>()) / 1024,
                    ["versions"] = py[0]["versions"]!.DeepClone(),
                    ["megabytes"] = megabytes,
                };
                rows.Add(row);
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }

        Console.WriteLine($"Zarr read, whole array, uint8, 64^3 chunks; median wall seconds (MB/s); ratio = C# / zarr-python (lower is faster); {Environment.ProcessorCount} cores");
        Console.WriteLine("| codec | size | compressed MiB | zarr-python s | C# s (all cores) | ratio | C# s (1 core) | ratio 1 core | peak MiB py / C# |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var row in rows)
        {
            double P(string f) => row![f]!.GetValue<double>();
            var mb = P("megabytes");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row!["codec"]} | {row["size"]}^3 | {P("compressedMiB"):F2} | {P("pythonMedianS"):F3} ({mb / P("pythonMedianS"):F0} MB/s) | {P("csharpMedianS"):F3} ({mb / P("csharpMedianS"):F0} MB/s) | **{P("csharpMedianS") / P("pythonMedianS"):F2}** | {P("csharp1ThreadMedianS"):F3} | {P("csharp1ThreadMedianS") / P("pythonMedianS"):F2} | {row["pythonPeakMiB"]} / {row["csharpPeakMiB"]} |"));
        }

        Console.WriteLine($"versions: {rows[0]!["versions"]!.ToJsonString()}, .NET {Environment.Version}");
        var results = args.Text("results", Path.Combine("bench", "results", "zarr-latest.json"));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(results))!);
        File.WriteAllText(results, rows.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    /// <summary>The C# side, in a fresh process: reads the whole array <c>repeats</c> times.</summary>
    public static int Child(Arguments args)
    {
        var path = args.Required("path");
        var repeats = args.Int("repeats", 3);
        var seconds = new List<double>();
        var cpu = new List<double>();
        long checksum = 0;
        var process = Process.GetCurrentProcess();
        // One untimed read first, as on the Python side: JIT and first-touch costs are not throughput.
        Core.Zarr.ZarrArray.Open(path).Read<byte>();
        for (var i = 0; i < repeats; i++)
        {
            process.Refresh();
            var startCpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var values = Core.Zarr.ZarrArray.Open(path).Read<byte>();
            seconds.Add(clock.Elapsed.TotalSeconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - startCpu).TotalSeconds);
            checksum = values.Sum(v => (long)v);
        }

        Console.WriteLine(new JsonObject
        {
            ["seconds"] = new JsonArray([.. seconds.Select(s => (JsonNode?)s)]),
            ["cpuSeconds"] = new JsonArray([.. cpu.Select(s => (JsonNode?)s)]),
            ["checksum"] = checksum,
            ["peakRssKiB"] = PeakMemory.PeakRssKiB(),
        }.ToJsonString());
        return 0;
    }

    public const string ChildCommand = "child-zarr-read";

    private static JsonNode RunChild(string path, int repeats, string? processorCount)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running");
        // Under `dotnet HotDistance.Bench.dll` the process is the host, which needs the assembly first.
        string[] host = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(ZarrReadBench).Assembly.Location] : [];
        return RunProcess(self, [.. host, ChildCommand, "--path", path, "--repeats", Text(repeats)], processorCount);
    }

    private static JsonNode RunProcess(string file, IEnumerable<string> arguments, string? processorCount)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        if (processorCount is not null)
        {
            start.Environment["DOTNET_PROCESSOR_COUNT"] = processorCount;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}");
        }

        return output.Trim().Length == 0 ? new JsonObject() : JsonNode.Parse(output.Trim().Split('\n')[^1])!;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
