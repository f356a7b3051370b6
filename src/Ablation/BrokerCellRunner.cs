using HotDistance.Contracts;
using HotDistance.Learning.Training;
using MassTransit;

namespace HotDistance.Ablation;

/// <summary>
/// Runs cells on the pipeline's training runners: publishes one <see cref="AblationCellRequested"/> per cell (all at
/// once; the runners' shared queue spreads them, one job per runner at a time) and waits for the cell's result to
/// appear in the shared workspace, or its failure record. The runners read the plan the command wrote
/// (<see cref="AblationPlanFile"/>), so the fingerprint a result must carry is the one these same inputs give.
/// While a cell trains, its newest step checkpoint is its progress.
/// </summary>
public sealed class BrokerCellRunner(IPublishEndpoint bus, string ablationId, AblationSettings settings, AblationInputs inputs, TimeSpan? poll = null) : ICellRunner
{
    private readonly TimeSpan interval = poll ?? TimeSpan.FromSeconds(1);

    public int Parallelism => int.MaxValue;

    public async Task<CellResult> RunAsync(AblationCell cell, string cellDirectory, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var fingerprint = CellFingerprint.Of(cell, settings, inputs);
        CellResultFile.ClearFailure(cellDirectory);
        await bus.Publish(new AblationCellRequested(ablationId, cell.Key, DateTimeOffset.UtcNow), cancellationToken).ConfigureAwait(false);
        var reported = 0;
        while (true)
        {
            if (CellResultFile.Read(cellDirectory) is { } result && result.Fingerprint == fingerprint)
            {
                return result;
            }

            if (CellResultFile.ReadFailure(cellDirectory) is { } failure)
            {
                throw new CellFailedException($"cell {cell.Label} failed on {(failure.Runner.Length > 0 ? failure.Runner : "a training runner")}: {failure.Reason}");
            }

            if (LatestStep(cellDirectory) is var step && step > reported)
            {
                reported = step;
                progress?.Report(new TrainingProgress(cell.Arm.Variant, step, settings.Training.Steps, double.NaN, 0));
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The step of the newest checkpoint a runner wrote for the cell (0 when none).</summary>
    private static int LatestStep(string cellDirectory)
    {
        var steps = Path.Combine(cellDirectory, LocalCellRunner.TrainDirectory, VariantTrainer.StepsDirectory);
        return Directory.Exists(steps)
            ? Directory.EnumerateDirectories(steps, "step-*").Select(d => int.TryParse(Path.GetFileName(d)["step-".Length..], out var n) ? n : 0).DefaultIfEmpty(0).Max()
            : 0;
    }
}

/// <summary>A cell that a training runner could not finish, with its reason.</summary>
public sealed class CellFailedException : Exception
{
    public CellFailedException()
    {
    }

    public CellFailedException(string message)
        : base(message)
    {
    }

    public CellFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
