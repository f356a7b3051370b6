using HotDistance.Contracts;
using HotDistance.Core.Metrics;

namespace HotDistance.Evaluator;

/// <summary>
/// A model's held-out score as it travels (<see cref="Score"/>), in full detail (<see cref="Report"/>), and its
/// predictions on the middle slice of the first few held-out crops for the report's pictures (<see cref="Examples"/>;
/// slices only, so it stays small), and the loss per training step its checkpoint recorded (<see cref="LossHistory"/>).
/// </summary>
public sealed record ScoredModel(
    ModelScore Score,
    ScoreReport Report,
    IReadOnlyList<PredictedSlice>? Examples = null,
    IReadOnlyList<double>? LossHistory = null);
