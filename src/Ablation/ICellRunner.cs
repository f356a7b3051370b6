using HotDistance.Learning.Training;

namespace HotDistance.Ablation;

/// <summary>
/// Runs one cell to its result: trains it (resuming a checkpointed training), scores it on the held-out crops and
/// writes its <see cref="CellResultFile"/>. <see cref="LocalCellRunner"/> does it in this process; <see cref="BrokerCellRunner"/> hands
/// each cell to the pipeline's training runners as a job, keyed by <see cref="AblationCell.Key"/>.
/// </summary>
public interface ICellRunner
{
    /// <summary>How many cells may run at once: 1 in this process; as many as there are cells when runners elsewhere share them out.</summary>
    int Parallelism { get; }

    Task<CellResult> RunAsync(AblationCell cell, string cellDirectory, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken);
}
