namespace HotDistance.Contracts;

/// <summary>
/// Train one variant of a generation. Domain key: (<see cref="GenerationId"/>, <see cref="Variant"/>).
/// <see cref="NewCropIds"/> arrived with this generation (sampled more often than the replayed older ones);
/// <see cref="WarmStartCheckpoint"/> is the reference (<see cref="CheckpointReferences.Trained"/>) of the variant's
/// previous generation when there is one.
/// </summary>
public sealed record TrainingRequested(
    string GenerationId,
    int GenerationNumber,
    string Variant,
    IReadOnlyList<string> Variants,
    IReadOnlyList<string> TrainingCropIds,
    IReadOnlyList<string> NewCropIds,
    IReadOnlyList<string> Classes,
    string? WarmStartCheckpoint,
    DateTimeOffset RequestedAt);
