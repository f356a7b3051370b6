using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HotDistance.Bench.Edt;
using HotDistance.Bench.Harness;
using HotDistance.Bench.PostProcessing;
using HotDistance.Bench.Targets;
using HotDistance.Bench.Training;
using HotDistance.Core.Volumes;

namespace HotDistance.Bench.Suite;

/// <summary>
/// Runs the chosen benchmarks, each side in a fresh process (so each has its own peak memory), the C# side and
/// its Python peer back to back in the same invocation, then prints the table and writes the results file.
/// </summary>
internal static class BenchSuite
{
    public static readonly string[] Parts = ["edt", "train", "targets", "postprocess"];

    public static int Run(IReadOnlyCollection<string> parts, Arguments args)
    {
        var plan = (args.Flag("quick") ? BenchPlan.Quick : BenchPlan.Full) with { Threads = args.Int("threads", 2) };
        var python = args.Text("python", "/usr/bin/python3");
        var machine = MachineInfo.Capture();
        var clock = Stopwatch.StartNew();
        var work = Directory.CreateTempSubdirectory("hd-bench-");
        var measurements = new List<Measurement>();
        try
        {
            var runner = new ProcessRunner(python, work.FullName);
            if (parts.Contains("edt"))
            {
                measurements.AddRange(Edt(runner, work.FullName, plan));
            }

            if (parts.Contains("train"))
            {
                foreach (var (size, threads, warmup, steps) in plan.ResolvedTrainingRuns())
                {
                    Progress($"training step {size}^3, batch {BenchPlan.Batch}, {threads} thread(s): C# and PyTorch in lockstep, {steps} steps each");
                    string[] options =
                    [
                        "--size", Text(size), "--batch", Text(BenchPlan.Batch), "--warmup", Text(warmup),
                        "--threads", Text(threads), "--lockstep",
                    ];
                    using var torchSharp = runner.Child(TrainingStepChild.Command, options);
                    using var pytorch = runner.Peer("unet_step.py", options);
                    measurements.AddRange(ProcessRunner.RunLockstep(torchSharp, pytorch, steps, TrainingRun.MinimumSteps, TrainingRun.Budget));
                }
            }

            if (parts.Contains("targets"))
            {
                foreach (var (size, repeats) in plan.TargetSizes)
                {
                    Progress($"targets for a {size}^3 crop, 2 classes");
                    using var side = runner.Child(
                        TargetRateChild.Command, "--size", Text(size), "--repeats", Text(repeats), "--threads", Text(plan.Threads));
                    measurements.AddRange(ProcessRunner.Run(side));
                }
            }

            if (parts.Contains("postprocess"))
            {
                measurements.AddRange(PostProcess(runner, work.FullName, plan));
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }

        var combined = MeasurementMerge.Combine(measurements);
        var results = new SuiteResults(
            args.Flag("quick"),
            machine,
            MachineInfo.LoadAverage(),
            Math.Round(clock.Elapsed.TotalSeconds, 1),
            Versions(combined),
            combined,
            Comparisons.From(combined, BenchPlan.Batch));
        ResultsTable.Print(results, Console.Out);

        var path = ResultsPath(args);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(results, ProcessRunner.Json));
        Console.WriteLine($"results: {path}");
        return 0;
    }

    private static List<Measurement> Edt(ProcessRunner runner, string work, BenchPlan plan)
    {
        var shape = new Shape3(plan.EdtSize, plan.EdtSize, plan.EdtSize);
        var sampling = BenchPlan.EdtSamplingNm;
        var maskPath = Path.Combine(work, "mask.u8");
        var referencePath = Path.Combine(work, "scipy-distances.f64");
        File.WriteAllBytes(maskPath, TestMask.Generate(shape, VoxelSize.FromArray(sampling), seed: 2024));
        var benchmark = $"edt-{plan.EdtSize}";
        string[] common = ["--mask", maskPath, "--shape", Numbers.Join(shape.ToArray()), "--sampling", Numbers.Join(sampling), "--benchmark", benchmark];

        var measurements = new List<Measurement>();
        for (var round = 0; round < plan.EdtRounds; round++)
        {
            // scipy leaves its map behind in round 1, so C# can check it computed the same one.
            Progress($"EDT {plan.EdtSize}^3 at {Numbers.Join(sampling)} nm, round {round + 1}/{plan.EdtRounds}");
            var first = round == 0;
            using var scipy = runner.Peer(
                "edt_scipy.py",
                [.. common, "--repeats", Text(plan.EdtRepeats), .. first ? ["--distances", referencePath] : Array.Empty<string>()]);
            using var csharp = runner.Child(
                EdtChild.Command,
                [
                    .. common, "--repeats", Text(plan.EdtRepeats), "--threads", Text(plan.Threads),
                    "--single-thread-repeats", Text(round == plan.EdtRounds - 1 ? plan.EdtSingleThreadRepeats : 0),
                    .. first ? ["--reference", referencePath] : Array.Empty<string>(),
                ]);
            measurements.AddRange(InOrder(round, scipy, csharp));
        }

        return measurements;
    }

    private static List<Measurement> PostProcess(ProcessRunner runner, string work, BenchPlan plan)
    {
        var size = plan.PostProcessSize;
        var shape = new Shape3(size, size, size);
        var inputs = Path.Combine(work, "postprocess");
        Directory.CreateDirectory(inputs);
        Progress($"post-processing inputs {size}^3 (ball mask, tanh distance, truth and shifted instances)");
        PostProcessInputs.Write(inputs, shape, seed: 2025);
        string[] options = ["--inputs", inputs, "--shape", Numbers.Join(shape.ToArray()), "--repeats", Text(plan.PostProcessRepeats)];
        Progress($"connected components, watershed and metrics on {size}^3: scikit-image/numpy/scipy, then C#");
        using var python = runner.Peer("postprocess_skimage.py", options);
        using var csharp = runner.Child(PostProcessChild.Command, options);
        return [.. ProcessRunner.Run(python), .. ProcessRunner.Run(csharp)];
    }

    /// <summary>ABBA: even rounds run <paramref name="a"/> first, odd rounds <paramref name="b"/> first.</summary>
    private static IEnumerable<Measurement> InOrder(int round, SideProcess a, SideProcess b)
    {
        var (first, second) = round % 2 == 0 ? (a, b) : (b, a);
        var results = ProcessRunner.Run(first);
        return [.. results, .. ProcessRunner.Run(second)];
    }

    private static Dictionary<string, string> Versions(IReadOnlyList<Measurement> measurements)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        };
        foreach (var (key, detail) in new[]
        {
            ("TorchSharp", "torchSharp"), ("libtorch", "libtorch"), ("PyTorch", "torch"), ("python3-torch (Debian)", "debianPackage"),
            ("scipy", "scipy"), ("numpy", "numpy"), ("scikit-image", "skimage"), ("Python", "python"),
        })
        {
            var value = measurements.Select(m => m.Detail(detail)).FirstOrDefault(v => v.Length > 0);
            if (value is not null)
            {
                versions[key] = value;
            }
        }

        return versions;
    }

    /// <summary>--results, else bench/results/latest.json in the repository this runs from.</summary>
    private static string ResultsPath(Arguments args)
    {
        var explicitPath = args.Text("results", string.Empty);
        if (explicitPath.Length > 0)
        {
            return Path.GetFullPath(explicitPath);
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "HotDistance.sln")))
                {
                    return Path.Combine(directory.FullName, "bench", "results", "latest.json");
                }
            }
        }

        return Path.GetFullPath(Path.Combine("bench-results", "latest.json"));
    }

    private static void Progress(string message) =>
        Console.Error.WriteLine($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message}");

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
