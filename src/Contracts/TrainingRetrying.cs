namespace HotDistance.Contracts;

/// <summary>
/// A training attempt failed for a reason that may pass (a shared folder away, a file mid-rename) and the job will be
/// tried again by the endpoint's retry schedule: the job is retrying, not failed. <see cref="Attempt"/> is the attempt
/// that failed, counting from 1, of at most <see cref="Attempts"/>. Domain key: (generation, variant, attempt).
/// </summary>
public sealed record TrainingRetrying(
    string GenerationId,
    string Variant,
    int Attempt,
    int Attempts,
    string Reason,
    string Runner,
    DateTimeOffset FailedAt);
