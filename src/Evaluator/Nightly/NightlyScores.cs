using HotDistance.Contracts;

namespace HotDistance.Evaluator.Nightly;

/// <summary>What one nightly scoring pass produced.</summary>
public sealed record NightlyScores(IReadOnlyList<ModelScore> Scores, IReadOnlyList<string> HeldOutCropIds);
