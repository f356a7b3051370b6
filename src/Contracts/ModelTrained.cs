namespace HotDistance.Contracts;

/// <summary>
/// A variant of a generation finished training. <see cref="Checkpoint"/> is its reference
/// (<see cref="CheckpointReferences.Trained"/>) and <see cref="CheckpointSha256"/> the SHA-256 of its weights,
/// which the evaluator checks before scoring. Domain key: (<see cref="GenerationId"/>, <see cref="Variant"/>).
/// </summary>
public sealed record ModelTrained(
    string GenerationId,
    int GenerationNumber,
    string Variant,
    IReadOnlyList<string> Variants,
    string Checkpoint,
    string CheckpointSha256,
    int Steps,
    double FinalLoss,
    IReadOnlyList<string> TrainingCropIds,
    string Runner,
    DateTimeOffset TrainedAt);
