namespace HotDistance.Contracts;

/// <summary>
/// A variant of a generation finished training. <see cref="Checkpoint"/> is its reference
/// (<see cref="CheckpointReferences.Trained"/>) and <see cref="CheckpointSha256"/> the SHA-256 of its weights,
/// which the evaluator checks before scoring. <see cref="TrackingRunId"/> is the job's run in the experiment
/// tracker (MLflow), carried on so the registered version can link to it; null when tracking is off or never
/// reached its server. Domain key: (<see cref="GenerationId"/>, <see cref="Variant"/>).
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
    DateTimeOffset TrainedAt,
    string? TrackingRunId = null);
