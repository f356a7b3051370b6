using HotDistance.Contracts;
using HotDistance.Core.Volumes;
using HotDistance.Learning.Model;
using HotDistance.Learning.Training;

namespace HotDistance.Learning.Checkpoints;

/// <summary>Everything needed to rebuild, resume or audit a model, stored as checkpoint.json beside the weights.</summary>
public sealed record CheckpointMetadata(
    string Variant,
    IReadOnlyList<string> Classes,
    IReadOnlyList<double> VoxelSizeNm,
    double ScaleNm,
    double DistanceLambda,
    ModelArchitecture Architecture,
    int Step,
    int TotalSteps,
    string? GenerationId,
    string? WarmStartedFrom,
    IReadOnlyList<CropLineage> Lineage,
    IReadOnlyList<double> LossHistory,
    string ModelSha256,
    string? OptimizerSha256,
    string CodeVersion,
    DateTimeOffset SavedAt)
{
    /// <summary>The steps (1-based) that were skipped because their loss or gradient was not finite.</summary>
    public IReadOnlyList<int> SkippedSteps { get; init; } = [];

    /// <summary>
    /// How the model's output is segmented when it is deployed: set when it is promoted, from the evaluation that
    /// promoted it; null for a checkpoint straight from training (which the evaluator tunes thresholds for).
    /// </summary>
    public ModelPostProcessing? PostProcessing { get; init; }

    /// <summary>
    /// How raw intensities were normalised in training, and so must be wherever the model runs; checkpoints written
    /// before it was recorded (no field, or null) were trained on the dtype range.
    /// </summary>
    public IntensityNormalization Intensity
    {
        get;
        init => field = value ?? IntensityNormalization.DtypeRange;
    } = IntensityNormalization.DtypeRange;

    /// <summary>
    /// The training settings the model was trained with, as the runner had them (architecture, steps, patch,
    /// learning rate, lambda, distance scale, mutual exclusions, normalisation, seed): a run recorded as data. Null in
    /// checkpoints written before it was recorded.
    /// </summary>
    public TrainingSettings? Training { get; init; }

    public double FinalLoss => LossHistory.Count > 0 ? LossHistory[^1] : double.NaN;

    /// <summary><see cref="LossHistory"/> with the step (1-based) of each loss: skipped steps have none.</summary>
    public IEnumerable<(int Step, double Loss)> LossPerStep()
    {
        var skipped = SkippedSteps.ToHashSet();
        var step = 0;
        foreach (var loss in LossHistory)
        {
            do
            {
                step++;
            }
            while (skipped.Contains(step));
            yield return (step, loss);
        }
    }
}
