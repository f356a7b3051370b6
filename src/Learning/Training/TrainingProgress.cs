namespace HotDistance.Learning.Training;

/// <summary>
/// The trainer's report after each step: <see cref="Loss"/> is the newest finite loss, which is this step's unless
/// <see cref="StepSkipped"/> says the step was skipped for a non-finite loss or gradient.
/// </summary>
public sealed record TrainingProgress(string Variant, int Step, int TotalSteps, double Loss, double StepsPerSecond)
{
    /// <summary>The learning rate this step trained with (the schedule's, see <see cref="LearningRateSchedule"/>).</summary>
    public double LearningRate { get; init; }

    /// <summary>This step gave a non-finite loss or gradient and left the weights as they were.</summary>
    public bool StepSkipped { get; init; }

    /// <summary>Steps skipped so far because their loss or gradient was not finite.</summary>
    public int SkippedSteps { get; init; }

    public TimeSpan Eta => StepsPerSecond > 0
        ? TimeSpan.FromSeconds((TotalSteps - Step) / StepsPerSecond)
        : TimeSpan.Zero;
}
