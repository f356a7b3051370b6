namespace HotDistance.Publisher;

/// <summary>What a registered model is and where it came from (model-card.json beside the weights).</summary>
public sealed record ModelCard(
    string ModelName,
    string GenerationId,
    string Variant,
    double Overall,
    IReadOnlyDictionary<string, double> PerClass,
    IReadOnlyList<string> Classes,
    IReadOnlyList<double> VoxelSizeNm,
    double DistanceScaleNm,
    IReadOnlyList<string> TrainingCropIds,
    IReadOnlyList<string> HeldOutCropIds,
    string EvaluationReport,
    string Reason,
    string CodeVersion,
    DateTimeOffset CreatedAt);
