using HotDistance.Bench.Harness;
using HotDistance.Core.Metrics;
using HotDistance.Core.PostProcessing;
using HotDistance.Core.Volumes;

namespace HotDistance.Bench.PostProcessing;

/// <summary>
/// The C# side of the post-processing benchmarks, in its own process: 26-connected components of the mask,
/// the seeded watershed of the distance head (seeds t &gt; 0.5, flooded inside t &gt; 0), and the evaluation
/// metrics (voxel confusion counts, then instance matching and Hausdorff distances) of prediction against truth.
/// Each is timed <c>--repeats</c> times after one untimed run; results go in the details for the agreement check.
/// </summary>
internal static class PostProcessChild
{
    public const string Command = "child-postprocess";

    public const float SeedThreshold = 0.5f;

    public static int Run(Arguments args)
    {
        var directory = args.Required("inputs");
        var shape = Shape3.FromArray(Numbers.Ints(args.Required("shape")));
        var repeats = args.Int("repeats", 3);
        var size = shape.Z;
        var mask = new Volume<byte>(shape, PostProcessInputs.Read<byte>(directory, "mask.u8"));
        var height = new Volume<float>(shape, PostProcessInputs.Read<float>(directory, "height.f32"));
        var truth = new Volume<uint>(shape, PostProcessInputs.Read<uint>(directory, "truth.u32"));
        var prediction = new Volume<uint>(shape, PostProcessInputs.Read<uint>(directory, "prediction.u32"));
        var threads = Environment.ProcessorCount;
        var measurements = new List<Measurement>();

        var components = Time(repeats, () => ConnectedComponents.Label(mask, Connectivity.Full26));
        measurements.Add(Measure($"cc-{size}", "HotDistance ConnectedComponents, 26-connected", components.Seconds, components.Cpu, new DetailsBuilder()
            .Add("count", components.Result.Count).Add("threads", threads).Add("computes", "26-connected components of the mask")));

        var seeds = Thresholding.Above(height, 0f);
        var watershed = Time(repeats, () => SeededWatershed.Segment(height, seeds, SeedThreshold, Connectivity.Full26));
        measurements.Add(Measure($"watershed-{size}", "HotDistance SeededWatershed, 26-connected", watershed.Seconds, watershed.Cpu, new DetailsBuilder()
            .Add("count", watershed.Result.Count).Add("threads", threads)
            .Add("computes", "seeds: 26-components of t > 0.5; flood t downwards inside t > 0 (1024 height buckets); seedless components labelled too")));

        var truthMask = Binary(truth);
        var predictedMask = Binary(prediction);
        var metrics = Time(repeats, () =>
        {
            var voxels = ConfusionCounts.FromMasks(truthMask, predictedMask);
            var instances = InstanceEvaluator.Evaluate(truth, prediction, PostProcessInputs.Voxel);
            return (voxels, instances);
        });
        var (counts, evaluation) = metrics.Result;
        measurements.Add(Measure($"metrics-{size}", "HotDistance ConfusionCounts + InstanceEvaluator", metrics.Seconds, metrics.Cpu, new DetailsBuilder()
            .Add("iou", counts.IoU).Add("f1", evaluation.Counts.F1).Add("combined", evaluation.Counts.Combined)
            .Add("matches", evaluation.Matches.Count).Add("truthInstances", evaluation.TruthCount).Add("predictedInstances", evaluation.PredictionCount)
            .Add("threads", threads)
            .Add("computes", "voxel IoU; Hungarian 1:1 matching on instance IoU; symmetric Hausdorff (nm) per match, capped; F1 and sqrt(F1 x mean normalised Hausdorff)")));

        ProcessRunner.Write(args.Required("out"), measurements);
        return 0;
    }

    private static Measurement Measure(string benchmark, string implementation, double[] seconds, double[] cpu, DetailsBuilder details) => new()
    {
        Benchmark = benchmark,
        Implementation = implementation,
        Side = "csharp",
        Seconds = seconds,
        CpuSeconds = cpu,
        PeakRssKiB = PeakMemory.PeakRssKiB(),
        Details = details.Build(),
    };

    private static (double[] Seconds, double[] Cpu, T Result) Time<T>(int repeats, Func<T> run)
    {
        var result = run(); // untimed: JIT and first-touch
        var seconds = new double[repeats];
        var cpu = new double[repeats];
        for (var r = 0; r < repeats; r++)
        {
            GC.Collect();
            var clock = StepClock.Start();
            result = run();
            (seconds[r], cpu[r]) = clock.Stop();
        }

        return (seconds, cpu, result);
    }

    private static Volume<byte> Binary(Volume<uint> labels)
    {
        var mask = new byte[labels.Data.Length];
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = labels.Data[i] != 0 ? (byte)1 : (byte)0;
        }

        return new Volume<byte>(labels.Shape, mask);
    }
}
