namespace HotDistance.Contracts;

/// <summary>Periodic progress of a running training job, for dashboards and people on call.</summary>
public sealed record TrainingProgressed(
    string GenerationId,
    string Variant,
    int Step,
    int TotalSteps,
    double Loss,
    double StepsPerSecond,
    string Runner);
