namespace HotDistance.Bench.Suite;

/// <summary>
/// Sizes and repetition counts of a run. The EDT runs <see cref="EdtRounds"/> rounds in ABBA order, each side a
/// fresh process per round with <see cref="EdtRepeats"/> timed runs; training steps alternate between the two
/// sides in lockstep. <see cref="Quick"/> is a smoke run of every path in seconds.
/// </summary>
internal sealed record BenchPlan(
    int EdtRounds,
    int EdtSize,
    int EdtRepeats,
    int EdtSingleThreadRepeats,
    IReadOnlyList<TrainingRun> TrainingRuns,
    IReadOnlyList<(int Size, int Repeats)> TargetSizes)
{
    /// <summary>Threads per side (the goals are for 2); <c>--threads</c> changes it.</summary>
    public int Threads { get; init; } = 2;

    public const int Batch = 2;

    /// <summary>Edge of the post-processing benchmarks' cube (connected components, watershed, metrics).</summary>
    public int PostProcessSize { get; init; } = 256;

    public int PostProcessRepeats { get; init; } = 2;

    /// <summary>Voxel size of the EDT input (z, y, x) in nm: FIB-SEM-like, coarser along Z.</summary>
    public static IReadOnlyList<double> EdtSamplingNm { get; } = [8, 4, 4];

    /// <summary>
    /// About two minutes on 2 quiet cores, three to four on busy ones. The 1-thread training runs are the steady
    /// like-for-like comparison: with two threads per side, a core taken by other work stalls every parallel
    /// region of a step, and the times scatter several-fold on a shared machine.
    /// </summary>
    public static BenchPlan Full { get; } = new(
        2,
        256,
        2,
        1,
        [new(32, TrainingRun.PlanThreads, 2, 10), new(64, TrainingRun.PlanThreads, 1, 4), new(32, 1, 1, 8), new(64, 1, 1, 4)],
        [(64, 10), (128, 3)]);

    public static BenchPlan Quick { get; } = new(1, 64, 1, 0, [new(32, TrainingRun.PlanThreads, 1, 3)], [(64, 2)])
    {
        PostProcessSize = 64,
        PostProcessRepeats = 1,
    };

    /// <summary>The training runs with their thread counts resolved; a 1-thread run repeating the main one is dropped.</summary>
    public IEnumerable<TrainingRun> ResolvedTrainingRuns() =>
        TrainingRuns
            .Select(run => run.Threads == TrainingRun.PlanThreads ? run with { Threads = Threads } : run)
            .DistinctBy(run => (run.Size, run.Threads));
}
