using System.Globalization;

namespace HotDistance.Bench.Suite;

/// <summary>The run as text: machine and versions, one row per measurement, then the verdicts.</summary>
internal static class ResultsTable
{
    public static void Print(SuiteResults results, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(output);
        var machine = results.Machine;
        output.WriteLine();
        output.WriteLine(Invariant($"HotDistance learning-core benchmarks, {machine.DateUtc}, {results.TotalSeconds:F0} s"));
        output.WriteLine(Invariant($"machine: {machine.Cores} cores, {machine.CpuModel}, {machine.MemoryKiB / 1024.0 / 1024.0:F0} GiB, {machine.Os}"));
        output.WriteLine($"load average (1/5/15 min): {machine.LoadAverageAtStart} at start, {results.LoadAverageAtEnd} at end");
        if (results.Quick)
        {
            output.WriteLine("QUICK RUN: small sizes and few repetitions, a smoke test of the harness; the goals are about the full run.");
        }

        output.WriteLine("versions: " + string.Join(", ", results.Versions.Select(v => $"{v.Key} {v.Value}")));
        output.WriteLine();

        const string row = "{0,-12} {1,-68} {2,9} {3,9} {4,10} {5,5} {6,9}";
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, row, "benchmark", "implementation", "median s", "min s", "median cpu", "runs", "peak MiB"));
        foreach (var m in results.Measurements)
        {
            output.WriteLine(string.Format(
                CultureInfo.InvariantCulture,
                row,
                m.Benchmark,
                m.Implementation,
                m.MedianSeconds.ToString("F3", CultureInfo.InvariantCulture),
                m.MinSeconds.ToString("F3", CultureInfo.InvariantCulture),
                m.MedianCpuSeconds.ToString("F3", CultureInfo.InvariantCulture),
                m.Seconds.Count,
                m.PeakRssKiB > 0 ? (m.PeakRssKiB / 1024.0).ToString("F0", CultureInfo.InvariantCulture) : "-"));
        }

        output.WriteLine();
        const string verdict = "{0,-56} {1,7} {2,8} {3,-5} {4}";
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, verdict, "comparison (ratio of medians)", "ratio", "goal", "met", "note"));
        foreach (var c in results.Comparisons)
        {
            var met = c.Met switch
            {
                true => "yes",
                false => "NO",
                null => "-",
            };
            output.WriteLine(string.Format(
                CultureInfo.InvariantCulture, verdict, c.Name, c.Ratio.ToString("F2", CultureInfo.InvariantCulture), c.Goal, met, c.Note));
        }

        output.WriteLine();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
