namespace HotDistance.Catalog.Status;

/// <summary>
/// One generation and its jobs. <see cref="Number"/>, the crop counts and <see cref="RequestedAt"/> are null while
/// only job events have been seen (a progress report can overtake its request).
/// </summary>
public sealed record GenerationStatus(
    string GenerationId,
    long? Number,
    string State,
    long? Crops,
    long? NewCrops,
    DateTimeOffset? RequestedAt,
    IReadOnlyList<JobStatus> Jobs)
{
    /// <summary>Why the generation waits (<see cref="GenerationStates.Waiting"/>): the step that gave up and its reason.</summary>
    public GenerationStall? Stall { get; init; }
}

/// <summary>A generation's evaluation or promotion that gave up after its retries and waits for the evaluator's sweep.</summary>
public sealed record GenerationStall(string Stage, string Reason, DateTimeOffset StalledAt);

/// <summary>One variant's training job: <see cref="JobStates"/>, the latest step and loss, and why it failed or is retrying.</summary>
public sealed record JobStatus(
    string Variant,
    string State,
    long Step,
    long? TotalSteps,
    double? Loss,
    double? StepsPerSecond,
    string? Runner,
    string? Checkpoint,
    DateTimeOffset UpdatedAt,
    string? Failure = null);
