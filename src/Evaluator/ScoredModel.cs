using HotDistance.Contracts;
using HotDistance.Core.Metrics;

namespace HotDistance.Evaluator;

/// <summary>A model's held-out score as it travels (<see cref="Score"/>) and in full detail (<see cref="Report"/>).</summary>
public sealed record ScoredModel(ModelScore Score, ScoreReport Report);
