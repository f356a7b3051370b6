using HotDistance.Contracts;
using HotDistance.Core.Volumes;
using HotDistance.Learning.Training;

namespace HotDistance.Publisher;

/// <summary>
/// What a registered model is and where it came from (model-card.json beside the weights): its held-out scores,
/// the classes and voxel grid it segments, the crops it learned from (by id and content hash), and the code that
/// trained it (<see cref="TrainingCodeVersion"/>) and promoted it (<see cref="CodeVersion"/>), each the assembly's
/// informational version, which carries the git commit when built from a repository.
/// </summary>
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
    IReadOnlyList<ModelCardCrop> TrainingCrops,
    IReadOnlyList<string> HeldOutCropIds,
    string EvaluationReport,
    string Reason,
    string ModelSha256,
    string TrainingCodeVersion,
    string CodeVersion,
    DateTimeOffset CreatedAt)
{
    public const string FileName = "model-card.json";

    /// <summary>The thresholds and instance classes the model was scored with, and is deployed with.</summary>
    public ModelPostProcessing? PostProcessing { get; init; }

    /// <summary>How raw intensities were normalised in training; every prediction with the model normalises so.</summary>
    public IntensityNormalization? Intensity { get; init; }

    /// <summary>The training settings the model was trained with (from its checkpoint); null for models trained before they were recorded.</summary>
    public TrainingSettings? Training { get; init; }
}
