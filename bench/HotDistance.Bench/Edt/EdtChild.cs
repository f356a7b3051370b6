using System.Runtime.InteropServices;
using HotDistance.Bench.Harness;
using HotDistance.Core.Volumes;

namespace HotDistance.Bench.Edt;

/// <summary>
/// The C# side of the EDT benchmark, in its own process: times <see cref="EdtUnderTest"/> on the shared mask,
/// records the peak memory, then (outside the timing and the peak) checks the result against scipy's.
/// </summary>
internal static class EdtChild
{
    public const string Command = "child-edt";

    public static int Run(Arguments args)
    {
        var mask = File.ReadAllBytes(args.Required("mask"));
        var shape = Shape3.FromArray(Numbers.Ints(args.Required("shape")));
        var voxelSize = VoxelSize.FromArray(Numbers.Doubles(args.Required("sampling")));
        var threads = args.Int("threads", 2);
        var repeats = args.Int("repeats", 3);
        var singleThreadRepeats = args.Int("single-thread-repeats", 1);
        var benchmark = args.Required("benchmark");

        // JIT warm-up on a slab: every code path of the full run, a fraction of the time.
        var slab = new Shape3(Math.Min(16, shape.Z), shape.Y, shape.X);
        EdtUnderTest.Distances(mask[..(int)slab.Count], slab, voxelSize, threads);

        var (seconds, cpuSeconds, distances) = Time(mask, shape, voxelSize, threads, repeats);
        var peak = PeakMemory.PeakRssKiB();

        var details = new DetailsBuilder()
            .Add("threads", threads)
            .Add("shape", shape.ToArray())
            .Add("samplingNm", voxelSize.ToArray())
            .Add("foregroundFraction", mask.Count(v => v != 0) / (double)mask.Length)
            .Add("computes", "sqrt of the exact squared EDT (nm) of every voxel centre to the nearest background voxel centre, float64; timing includes mask conversion and sqrt");
        if (args.Text("reference", string.Empty) is { Length: > 0 } reference)
        {
            var expected = MemoryMarshal.Cast<byte, double>(File.ReadAllBytes(reference));
            details.Add("maxAbsDifferenceNm", EdtAgreement.MaxAbsDifference(distances, expected));
        }

        var measurements = new List<Measurement>
        {
            new()
            {
                Benchmark = benchmark,
                Implementation = $"HotDistance EDT, C# ({threads} threads)",
                Side = "csharp",
                Seconds = seconds,
                CpuSeconds = cpuSeconds,
                PeakRssKiB = peak,
                Details = details.Build(),
            },
        };

        if (singleThreadRepeats > 0 && threads != 1)
        {
            var (single, singleCpu, _) = Time(mask, shape, voxelSize, 1, singleThreadRepeats);
            measurements.Add(new Measurement
            {
                Benchmark = benchmark,
                Implementation = "HotDistance EDT, C# (1 thread)",
                Side = "csharp",
                Seconds = single,
                CpuSeconds = singleCpu,
                Details = new DetailsBuilder().Add("threads", 1).Add("note", "run after the multi-thread runs in the same process: no peak of its own").Build(),
            });
        }

        ProcessRunner.Write(args.Required("out"), measurements);
        return 0;
    }

    private static (double[] Seconds, double[] CpuSeconds, double[] Distances) Time(byte[] mask, Shape3 shape, VoxelSize voxelSize, int threads, int repeats)
    {
        var seconds = new double[repeats];
        var cpuSeconds = new double[repeats];
        double[] distances = [];
        for (var r = 0; r < repeats; r++)
        {
            // Drop the previous result first, so the peak is one run's and not two.
            distances = [];
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var clock = StepClock.Start();
            distances = EdtUnderTest.Distances(mask, shape, voxelSize, threads);
            (seconds[r], cpuSeconds[r]) = clock.Stop();
        }

        return (seconds, cpuSeconds, distances);
    }
}
