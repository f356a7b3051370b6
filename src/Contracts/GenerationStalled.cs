namespace HotDistance.Contracts;

/// <summary>
/// A generation's evaluation or promotion (<see cref="GenerationStages"/>) gave up after its retries for a reason that
/// may pass (the registry down longer than the retry budget, a shared mount away). The generation waits: the
/// evaluator's sweep takes it up again. Domain key: (generation, stage); a later stall replaces an earlier one.
/// </summary>
public sealed record GenerationStalled(
    string GenerationId,
    string Stage,
    string Reason,
    DateTimeOffset StalledAt);
