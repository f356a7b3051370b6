namespace HotDistance.Evaluator;

/// <summary>A model to score: a checkpoint directory and the part it plays in the decision.</summary>
public sealed record ScoringCandidate(string Variant, string Role, string CheckpointDirectory);
