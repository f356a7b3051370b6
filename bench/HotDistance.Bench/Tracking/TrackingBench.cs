using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HotDistance.Bench.Harness;
using HotDistance.Core;
using HotDistance.Core.Tracking;
using HotDistance.Hosting;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Training;
using HotDistance.Mlflow;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Learning;
using HotDistance.Tests.Mlflow;
using HotDistance.Trainer;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;

namespace HotDistance.Bench.Tracking;

/// <summary>
/// What MLflow tracking costs training: the same <c>VariantTrainer</c> job (the tests' tiny U-Net on 16^3 patches,
/// a few milliseconds a step, so the per-step cost of logging weighs as much as it ever will) run side by side with
/// its steps' loss and learning rate going nowhere (tracking off), to an MLflow server that answers (the tests'
/// in-process fake, so its HTTP work shares this machine's cores: a pessimistic stand-in for a server elsewhere),
/// and to a server that is down (a closed port). The sides take turns in ABCCBA order for each round, every run a
/// fresh job from step 0; ratios are of median wall times against tracking off.
/// </summary>
internal static class TrackingBench
{
    public const string Part = "tracking";

    public static int Run(Arguments args)
    {
        var steps = args.Int("steps", args.Flag("quick") ? 60 : 400);
        var rounds = args.Int("rounds", args.Flag("quick") ? 1 : 3);
        var threads = args.Int("threads", 2);
        TorchRuntime.EnsureLoaded();
        torch.set_num_threads(threads);
        var work = Directory.CreateTempSubdirectory("hd-bench-tracking-");
        using var server = new FakeMlflowServer();
        var closed = new Uri($"http://127.0.0.1:{LoopbackPorts.Reserve(1)[0].ToString(CultureInfo.InvariantCulture)}/");
        var sides = new (string Name, Func<IExperimentTracker> Tracker)[]
        {
            ("off", () => NoExperimentTracker.Instance),
            ("mlflow up", () => Tracker(server.Uri)),
            ("mlflow down", () => Tracker(closed)),
        };
        var times = sides.ToDictionary(s => s.Name, _ => new List<double>());
        var endTimes = sides.ToDictionary(s => s.Name, _ => new List<double>());
        var sent = new List<int>();
        using var client = new MlflowClient(new MlflowClientOptions { TrackingUri = server.Uri });
        var run = 0;
        try
        {
            // One untimed job first: JIT, libtorch's first allocations and the fake's first requests are not tracking.
            TrainOnce(work.FullName, run++, steps, NoExperimentTracker.Instance);
            for (var round = 0; round < rounds; round++)
            {
                var order = sides.Concat(sides.Reverse()).ToList();
                Console.Error.WriteLine($"round {round + 1} of {rounds}: {string.Join(", ", order.Select(s => s.Name))} ({steps} steps each) ...");
                foreach (var (name, makeTracker) in order)
                {
                    var tracker = makeTracker();
                    var (training, ending, runId) = TrainOnce(work.FullName, run++, steps, tracker);
                    (tracker as IDisposable)?.Dispose();
                    times[name].Add(training);
                    endTimes[name].Add(ending);
                    if (name == "mlflow up")
                    {
                        var history = client.GetMetricHistoryAsync(runId ?? throw new InvalidOperationException("the run against the answering server has no id"), TrainingMetrics.Loss, default).GetAwaiter().GetResult();
                        sent.Add(history.Count);
                    }
                }
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }

        if (sent.Any(count => count != steps))
        {
            throw new InvalidOperationException($"the answering server did not get every step's loss: {string.Join(", ", sent)} of {steps}");
        }

        var (callNanoseconds, callMetrics) = LogMetricCost(server.Uri);
        var baseline = Statistics.Median(times["off"]);
        var machine = MachineInfo.Capture();
        Console.WriteLine($"Training with MLflow tracking, {steps} steps of the tiny U-Net (16^3 patches, batch 1), {threads} torch thread(s), {rounds} ABCCBA round(s); load average {MachineInfo.LoadAverage()}");
        Console.WriteLine("| side | median s per job | median ms per step | ratio to off | median of per-round ratios | median s to end the run |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
        var rows = new JsonArray();
        foreach (var (name, _) in sides)
        {
            var median = Statistics.Median(times[name]);
            var end = Statistics.Median(endTimes[name]);

            // Each round runs every side twice (ABCCBA); a side's round ratio is its mean over off's mean in that round.
            var roundRatios = Enumerable.Range(0, rounds)
                .Select(r => times[name].Skip(2 * r).Take(2).Average() / times["off"].Skip(2 * r).Take(2).Average())
                .ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {median:F2} | {1000 * median / steps:F2} | **{median / baseline:F3}** | {Statistics.Median(roundRatios):F3} | {end:F3} |"));
            rows.Add(new JsonObject
            {
                ["side"] = name,
                ["seconds"] = new JsonArray(times[name].Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
                ["endSeconds"] = new JsonArray(endTimes[name].Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
                ["medianSeconds"] = median,
                ["ratioToOff"] = median / baseline,
                ["roundRatios"] = new JsonArray(roundRatios.Select(r => (JsonNode)JsonValue.Create(r)).ToArray()),
            });
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"LogMetric on the calling (training) thread: {callNanoseconds:F0} ns a call, median of 5 x {callMetrics} calls to a run whose server answers"));
        Console.WriteLine($"every run against the answering server logged all {steps} losses ({sent.Count} runs checked); {machine.Cores} cores, {machine.CpuModel}, {machine.DotNet}");
        var results = args.Text("results", Path.Combine("bench", "results", "tracking-latest.json"));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(results))!);
        File.WriteAllText(results, new JsonObject { ["machine"] = JsonSerializer.SerializeToNode(machine), ["steps"] = steps, ["threads"] = threads, ["logMetricNanoseconds"] = callNanoseconds, ["rows"] = rows }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    /// <summary>
    /// What a training step pays itself: the time of one <see cref="ITrackedRun.LogMetric"/> call (it only queues),
    /// median of five batches of 100,000 calls (a step makes two).
    /// </summary>
    private static (double Nanoseconds, int Calls) LogMetricCost(Uri uri)
    {
        const int Calls = 100_000;
        var tracker = Tracker(uri);
        var batches = new List<double>();
        for (var batch = 0; batch < 5; batch++)
        {
            var run = tracker.Start(new TrackedRunSpec("bench calls", PipelineRuns.TrainingKey("bench-calls", batch.ToString(CultureInfo.InvariantCulture))));
            var clock = Stopwatch.StartNew();
            for (var step = 0; step < Calls; step++)
            {
                run.LogMetric(TrainingMetrics.Loss, step, step);
            }

            batches.Add(clock.Elapsed.TotalNanoseconds / Calls);
            run.EndAsync(TrackedRunOutcome.Finished, null, []).GetAwaiter().GetResult();
        }

        (tracker as IDisposable)?.Dispose();
        return (Statistics.Median(batches), Calls);
    }

    /// <summary>One job from step 0: seconds training (the tracked run started, every step logged) and seconds ending the run.</summary>
    private static (double Training, double Ending, string? RunId) TrainOnce(string work, int index, int steps, IExperimentTracker tracker)
    {
        var job = TinyTraining.Job(Path.Combine(work, index.ToString(CultureInfo.InvariantCulture)));
        var run = tracker.Start(new TrackedRunSpec($"bench {index}", PipelineRuns.TrainingKey("bench", index.ToString(CultureInfo.InvariantCulture))));
        var clock = Stopwatch.StartNew();
        new VariantTrainer(TinyTraining.Settings(steps)).RunAsync(job, new TrainingMetrics(run), CancellationToken.None).GetAwaiter().GetResult();
        var training = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var runId = run.EndAsync(TrackedRunOutcome.Finished, null, []).GetAwaiter().GetResult();
        return (training, clock.Elapsed.TotalSeconds, runId);
    }

    /// <summary>The tracker a host builds for <paramref name="uri"/>, with its default buffer and flush interval.</summary>
    private static IExperimentTracker Tracker(Uri uri) => ExperimentTrackers.Create(
        new HostSettings { Pipeline = new PipelineSettings { Workspace = "unused" }, MlflowTrackingUri = uri, MlflowExperiment = "hd-bench-tracking" },
        NullLoggerFactory.Instance);
}
