using HotDistance.Learning.Training;

namespace HotDistance.Cli.Train;

/// <summary>
/// Keeps only the newest report from the training thread; the progress bar reads it on its own schedule.
/// (<see cref="Progress{T}"/> would queue every step to the thread pool, out of order.)
/// </summary>
public sealed class LatestTrainingProgress : IProgress<TrainingProgress>
{
    private TrainingProgress? latest;

    public TrainingProgress? Current => Volatile.Read(ref latest);

    public void Report(TrainingProgress value) => Volatile.Write(ref latest, value);
}
