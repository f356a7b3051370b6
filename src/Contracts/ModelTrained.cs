namespace HotDistance.Contracts;

/// <summary>A variant of a generation finished training. Domain key: (<see cref="GenerationId"/>, <see cref="Variant"/>).</summary>
public sealed record ModelTrained(
    string GenerationId,
    int GenerationNumber,
    string Variant,
    IReadOnlyList<string> Variants,
    string CheckpointPath,
    string CheckpointSha256,
    int Steps,
    double FinalLoss,
    IReadOnlyList<string> TrainingCropIds,
    string Runner,
    DateTimeOffset TrainedAt);
