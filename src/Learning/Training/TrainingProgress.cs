namespace HotDistance.Learning.Training;

public sealed record TrainingProgress(string Variant, int Step, int TotalSteps, double Loss, double StepsPerSecond)
{
    /// <summary>Steps skipped so far because their loss or gradient was not finite.</summary>
    public int SkippedSteps { get; init; }

    public TimeSpan Eta => StepsPerSecond > 0
        ? TimeSpan.FromSeconds((TotalSteps - Step) / StepsPerSecond)
        : TimeSpan.Zero;
}
