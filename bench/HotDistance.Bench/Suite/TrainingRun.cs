namespace HotDistance.Bench.Suite;

/// <summary>
/// One lockstep training comparison: patch size, threads per side, untimed and timed steps per side; the timed
/// steps stop early once <see cref="Budget"/> is spent, but not before <see cref="MinimumSteps"/>.
/// </summary>
internal sealed record TrainingRun(int Size, int Threads, int Warmup, int Steps)
{
    public const int MinimumSteps = 3;

    public static TimeSpan Budget { get; } = TimeSpan.FromSeconds(25);

    /// <summary>Stands for the run's <c>--threads</c> (2 unless told).</summary>
    public const int PlanThreads = 0;
}
