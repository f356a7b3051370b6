using HotDistance.Core.Tracking;
using HotDistance.Learning.Training;

namespace HotDistance.Trainer;

/// <summary>
/// Passes each step's loss and learning rate to a tracked run, on the training thread: logging only queues them
/// (<see cref="ITrackedRun.LogMetric"/>), the run sends them in batches on its own. A skipped step logs no loss
/// (the progress carries the previous one) but the running count of skipped steps.
/// </summary>
public sealed class TrainingMetrics(ITrackedRun run) : IProgress<TrainingProgress>
{
    public const string Loss = "loss";
    public const string LearningRate = "learning_rate";
    public const string SkippedSteps = "skipped_steps";

    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.StepSkipped)
        {
            run.LogMetric(SkippedSteps, value.SkippedSteps, value.Step);
        }
        else
        {
            run.LogMetric(Loss, value.Loss, value.Step);
        }

        run.LogMetric(LearningRate, value.LearningRate, value.Step);
    }
}
