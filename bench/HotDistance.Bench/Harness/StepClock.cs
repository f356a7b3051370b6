using System.Diagnostics;

namespace HotDistance.Bench.Harness;

/// <summary>
/// Wall-clock and process CPU time (all threads) of one timed run. On a machine shared with other work the
/// wall time stretches with the load; the CPU time much less, so the two together say what the code costs.
/// </summary>
internal readonly struct StepClock
{
    private readonly long startTicks;
    private readonly TimeSpan startCpu;

    private StepClock(long startTicks, TimeSpan startCpu)
    {
        this.startTicks = startTicks;
        this.startCpu = startCpu;
    }

    public static StepClock Start() => new(Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime);

    public (double WallSeconds, double CpuSeconds) Stop() =>
        (Stopwatch.GetElapsedTime(startTicks).TotalSeconds, (Environment.CpuUsage.TotalTime - startCpu).TotalSeconds);
}
