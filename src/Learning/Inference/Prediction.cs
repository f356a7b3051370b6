using HotDistance.Core.Volumes;

namespace HotDistance.Learning.Inference;

/// <summary>
/// A network's output over a whole crop, per class in class order: one-hot probabilities (after the sigmoid)
/// and/or tanh-normalised distances, whichever heads the model has.
/// </summary>
public sealed record Prediction(
    IReadOnlyList<string> Classes,
    IReadOnlyList<Volume<float>>? OneHotProbabilities,
    IReadOnlyList<Volume<float>>? Distances);
