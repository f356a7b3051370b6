using System.Globalization;
using HotDistance.Bench.Harness;

namespace HotDistance.Bench.Suite;

/// <summary>The issue's three questions, answered from one run's measurements (ratios of medians).</summary>
internal static class Comparisons
{
    /// <summary>The EDT goal: at most half scipy's time.</summary>
    public const double EdtGoal = 0.5;

    /// <summary>Both sides compute exact distances in float64, so anything above rounding is a real disagreement.</summary>
    public const double AgreementToleranceNm = 1e-6;

    public static IReadOnlyList<Comparison> From(IReadOnlyList<Measurement> measurements, int batch)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        var comparisons = new List<Comparison>();
        comparisons.AddRange(Edt(measurements));
        comparisons.AddRange(Training(measurements));
        comparisons.AddRange(Feeding(measurements, batch));
        comparisons.AddRange(PostProcessing(measurements));
        return comparisons;
    }

    private static IEnumerable<Comparison> Edt(IReadOnlyList<Measurement> measurements)
    {
        foreach (var scipy in Of(measurements, "edt-", "python"))
        {
            var size = SizeOf(scipy);
            var sides = Of(measurements, "edt-", "csharp").Where(m => m.Benchmark == scipy.Benchmark).ToList();
            var parallel = sides.MaxBy(m => m.DetailNumber("threads"));
            if (parallel is not null)
            {
                var difference = parallel.DetailNumber("maxAbsDifferenceNm");
                var agrees = difference <= AgreementToleranceNm;
                var ratio = parallel.MedianSeconds / scipy.MedianSeconds;
                var threads = parallel.DetailNumber("threads").ToString(CultureInfo.InvariantCulture);
                yield return new Comparison(
                    $"EDT {size}^3: C# {threads} thread(s) / scipy",
                    ratio,
                    $"<= {EdtGoal:F2}",
                    ratio <= EdtGoal && agrees,
                    Invariant($"max |C# - scipy| = {difference:G3} nm{(agrees ? string.Empty : " (RESULTS DISAGREE)")}; scipy's EDT is single-threaded; {MinRatio(parallel, scipy)}"));
            }

            if (sides.FirstOrDefault(m => m != parallel && m.DetailNumber("threads") == 1) is { } single)
            {
                yield return new Comparison(
                    $"EDT {size}^3: C# 1 thread / scipy",
                    single.MedianSeconds / scipy.MedianSeconds,
                    "-",
                    null,
                    $"one core each: the algorithm alone; {MinRatio(single, scipy)}");
            }
        }
    }

    private static IEnumerable<Comparison> Training(IReadOnlyList<Measurement> measurements)
    {
        foreach (var pytorch in Of(measurements, "train-", "python"))
        {
            var threads = pytorch.DetailNumber("threads");
            var torchSharp = Of(measurements, "train-", "csharp")
                .FirstOrDefault(m => m.Benchmark == pytorch.Benchmark && m.DetailNumber("threads") == threads);
            if (torchSharp is null)
            {
                continue;
            }

            var ratio = torchSharp.MedianSeconds / pytorch.MedianSeconds;
            var sameNetwork = torchSharp.DetailNumber("parameters") == pytorch.DetailNumber("parameters");

            // Same seed, same initialisation order and the same generator: the first losses match when the two
            // networks and losses really are the same.
            var sameStart = Math.Abs(torchSharp.DetailNumber("firstLoss") - pytorch.DetailNumber("firstLoss")) < 1e-5;
            yield return new Comparison(
                Invariant($"train step {SizeOf(pytorch)}^3 x{torchSharp.Detail("batch")}, {threads} thread(s): TorchSharp / PyTorch"),
                ratio,
                "<= 1.00",
                ratio <= 1.0,
                $"{MinRatio(torchSharp, pytorch)}; {PairedRatio(torchSharp, pytorch)}; {CpuRatio(torchSharp, pytorch)}; version gap: libtorch {torchSharp.Detail("libtorch")} vs PyTorch {pytorch.Detail("torch")} (Debian {pytorch.Detail("debianPackage")}, no MKL); " +
                $"parameters {torchSharp.Detail("parameters")} vs {pytorch.Detail("parameters")}{(sameNetwork ? string.Empty : " (NETWORKS DIFFER)")}, " +
                Invariant($"first loss {torchSharp.DetailNumber("firstLoss"):F6} vs {pytorch.DetailNumber("firstLoss"):F6}{(sameStart ? string.Empty : " (DIFFER)")}"));
        }
    }

    private static IEnumerable<Comparison> Feeding(IReadOnlyList<Measurement> measurements, int batch)
    {
        // The trainer's pace: per patch size, the faster of the C# thread settings measured.
        var steps = Of(measurements, "train-", "csharp")
            .GroupBy(m => m.Benchmark)
            .Select(g => g.MinBy(m => m.MedianSeconds)!)
            .ToList();
        foreach (var targets in Of(measurements, "targets-", "csharp"))
        {
            var crop = SizeOf(targets);
            var targetsPerSecond = 1.0 / targets.MedianSeconds;
            foreach (var step in steps)
            {
                var patch = SizeOf(step);
                var stepsPerSecond = 1.0 / step.MedianSeconds;
                var ratio = targetsPerSecond / stepsPerSecond;

                // The trainer builds a crop's targets once and cuts many patches from it; the strictest reading of
                // "keeps a step fed" is a fresh target voxel for every voxel a step trains on.
                var voxelRatio = ratio * Math.Pow(crop, 3) / (batch * Math.Pow(patch, 3));
                yield return new Comparison(
                    Invariant($"target voxels / step voxels: {crop}^3 crops, {patch}^3 x{batch} steps ({step.DetailNumber("threads")}t)"),
                    voxelRatio,
                    ">= 1.00",
                    voxelRatio >= 1.0,
                    Invariant($"{targetsPerSecond:F2} targets/s ({crop}^3, 2 classes) vs {stepsPerSecond:F2} steps/s: {ratio:F2} crops' targets per step"));
            }
        }
    }

    private static IEnumerable<Comparison> PostProcessing(IReadOnlyList<Measurement> measurements)
    {
        foreach (var prefix in new[] { "cc-", "watershed-", "metrics-" })
        {
            foreach (var peer in Of(measurements, prefix, "python"))
            {
                if (Of(measurements, prefix, "csharp").FirstOrDefault(m => m.Benchmark == peer.Benchmark) is not { } csharp)
                {
                    continue;
                }

                var ratio = csharp.MedianSeconds / peer.MedianSeconds;
                var agreement = prefix == "metrics-"
                    ? Invariant($"IoU {csharp.DetailNumber("iou"):F4} vs {peer.DetailNumber("iou"):F4}, F1 {csharp.DetailNumber("f1"):F4} vs {peer.DetailNumber("f1"):F4}, combined {csharp.DetailNumber("combined"):F4} vs {peer.DetailNumber("combined"):F4}, matches {csharp.Detail("matches")} vs {peer.Detail("matches")}")
                    : $"instances {csharp.Detail("count")} vs {peer.Detail("count")}{(prefix == "cc-" && csharp.Detail("count") != peer.Detail("count") ? " (DIFFER)" : string.Empty)}";
                yield return new Comparison(
                    $"{peer.Benchmark}: C# / {(prefix == "metrics-" ? "numpy+scipy" : "scikit-image")}",
                    ratio,
                    "<= 1.00",
                    ratio <= 1.0,
                    $"{agreement}; {MinRatio(csharp, peer)}; {CpuRatio(csharp, peer)}");
            }
        }
    }

    /// <summary>The ratio of the fastest runs: on a shared machine, the least disturbed estimate.</summary>
    private static string MinRatio(Measurement numerator, Measurement denominator) =>
        Invariant($"ratio of minimums {numerator.MinSeconds / denominator.MinSeconds:F2}");

    /// <summary>
    /// The ratio of median process CPU times: steadier than wall time on a loaded machine with one thread per side;
    /// with more, it also counts the threads' spinning while they wait for each other.
    /// </summary>
    private static string CpuRatio(Measurement numerator, Measurement denominator) =>
        Invariant($"ratio of median CPU times {numerator.MedianCpuSeconds / denominator.MedianCpuSeconds:F2}");

    /// <summary>
    /// The median of step-by-step ratios: lockstep runs alternate the sides' steps, so step i of each ran under
    /// nearly the same load from the rest of the machine.
    /// </summary>
    private static string PairedRatio(Measurement numerator, Measurement denominator)
    {
        var pairs = Math.Min(numerator.Seconds.Count, denominator.Seconds.Count);
        var ratios = Enumerable.Range(0, pairs).Select(i => numerator.Seconds[i] / denominator.Seconds[i]).ToList();
        return Invariant($"median of {pairs} step-paired ratios {Statistics.Median(ratios):F2}");
    }

    private static IEnumerable<Measurement> Of(IReadOnlyList<Measurement> measurements, string prefix, string side) =>
        measurements.Where(m => m.Benchmark.StartsWith(prefix, StringComparison.Ordinal) && m.Side == side);

    private static int SizeOf(Measurement measurement) =>
        int.Parse(measurement.Benchmark[(measurement.Benchmark.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
