using HotDistance.Learning.Training;

namespace HotDistance.Ablation;

/// <summary>
/// Runs one cell to its result: trains it (resuming a checkpointed training), scores it on the held-out crops and
/// writes its <see cref="CellResultFile"/>. <see cref="LocalCellRunner"/> does it in this process; a runner that hands
/// each cell to the pipeline's training runners as a job (keyed by <see cref="AblationCell.Key"/>) fits here too.
/// </summary>
public interface ICellRunner
{
    Task<CellResult> RunAsync(AblationCell cell, string cellDirectory, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken);
}
