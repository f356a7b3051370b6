namespace HotDistance.Contracts;

/// <summary>
/// Everything that turns a model's output into a segmentation, stored with a promoted model (checkpoint.json and
/// model-card.json) so that hd predict, inference sites and later evaluations segment exactly as the evaluation
/// that promoted it scored: per class, the thresholds it was scored with; which classes are split into instances.
/// </summary>
public sealed record ModelPostProcessing(
    IReadOnlyDictionary<string, ClassThresholds> Thresholds,
    IReadOnlyList<string> InstanceClasses);
