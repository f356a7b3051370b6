using HotDistance.Bench.Harness;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Targets;
using HotDistance.Core.Volumes;

namespace HotDistance.Bench.Targets;

/// <summary>
/// How fast Hot-Distance targets are made: <see cref="HotDistanceTargetBuilder"/> on a synthetic crop with both
/// classes annotated, in its own process. The crop itself is made before the clock starts.
/// </summary>
internal static class TargetRateChild
{
    public const string Command = "child-targets";

    public static int Run(Arguments args)
    {
        var size = args.Int("size", 64);
        var repeats = args.Int("repeats", 5);
        var threads = args.Int("threads", 2);
        var crop = SyntheticCropGenerator.Generate(new SyntheticCropSpec(
            $"bench-{size}",
            Seed: 1000,
            new Shape3(size, size, size),
            VoxelSize.Isotropic(8),
            SyntheticCropGenerator.Classes));
        var builder = new HotDistanceTargetBuilder(new HotDistanceTargetSettings { MaxDegreeOfParallelism = threads });

        builder.Build(crop, SyntheticCropGenerator.Classes);
        var seconds = new double[repeats];
        var cpuSeconds = new double[repeats];
        for (var r = 0; r < repeats; r++)
        {
            var clock = StepClock.Start();
            builder.Build(crop, SyntheticCropGenerator.Classes);
            (seconds[r], cpuSeconds[r]) = clock.Stop();
        }

        var measurement = new Measurement
        {
            Benchmark = $"targets-{size}",
            Implementation = $"HotDistanceTargetBuilder, C# ({threads} threads)",
            Side = "csharp",
            Seconds = seconds,
            CpuSeconds = cpuSeconds,
            PeakRssKiB = PeakMemory.PeakRssKiB(),
            Details = new DetailsBuilder()
                .Add("threads", threads)
                .Add("crop", size)
                .Add("classes", SyntheticCropGenerator.Classes.Count)
                .Add("voxelSizeNm", 8)
                .Build(),
        };
        ProcessRunner.Write(args.Required("out"), [measurement]);
        return 0;
    }
}
