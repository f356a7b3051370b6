namespace HotDistance.Learning.Training;

public sealed record TrainingProgress(string Variant, int Step, int TotalSteps, double Loss, double StepsPerSecond)
{
    public TimeSpan Eta => StepsPerSecond > 0
        ? TimeSpan.FromSeconds((TotalSteps - Step) / StepsPerSecond)
        : TimeSpan.Zero;
}
