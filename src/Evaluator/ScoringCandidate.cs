namespace HotDistance.Evaluator;

/// <summary>
/// A model to score and the part it plays in the decision: its reference as messages name it
/// (<c>CheckpointReferences</c>), the verified local folder it was resolved to, and the SHA-256 its weights must
/// have, which the scorer checks again when it loads them; <see cref="TrackingRunId"/> is the tracked run that trained
/// it, when there is one, carried into its score.
/// </summary>
public sealed record ScoringCandidate(string Variant, string Role, string Checkpoint, string Directory, string ModelSha256, string? TrackingRunId = null);
