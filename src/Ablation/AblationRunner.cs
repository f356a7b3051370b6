using System.Diagnostics;
using System.Text.Json;
using HotDistance.Core.IO;
using HotDistance.Core.Threading;
using HotDistance.Learning.Training;

namespace HotDistance.Ablation;

/// <summary>
/// Runs a grid's cells one after another in <c>folder/cells/KEY</c>. A cell whose result is there (made with the same
/// settings: <see cref="CellFingerprint"/>) is reused, never repeated; a cell cut short resumes from its last training
/// checkpoint. Reports the whole grid's progress with an estimate of the time left.
/// </summary>
public sealed class AblationRunner(AblationSettings settings, AblationInputs inputs, string folder, ICellRunner? cellRunner = null)
{
    public const string CellsDirectory = "cells";
    public const string CellFile = "cell.json";

    private readonly ICellRunner cells = cellRunner ?? new LocalCellRunner(settings, inputs);

    public static string CellDirectory(string folder, AblationCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return Path.Combine(folder, CellsDirectory, cell.Key);
    }

    /// <summary>Every cell's result, in grid order; <see cref="AblationOutcome.Trained"/> names the cells this run trained.</summary>
    public async Task<AblationOutcome> RunAsync(IProgress<AblationProgress>? progress, CancellationToken cancellationToken)
    {
        var grid = AblationGrid.Compose(settings);
        var results = new Dictionary<string, CellResult>(StringComparer.Ordinal);
        foreach (var cell in grid)
        {
            var directory = CellDirectory(folder, cell);
            var fingerprint = CellFingerprint.Of(cell, settings, inputs);
            Claim(directory, cell, fingerprint);
            if (CellResultFile.Read(directory) is { } done && done.Fingerprint == fingerprint)
            {
                results[cell.Key] = done;
            }
        }

        var reused = results.Count;
        var trained = new List<string>();
        var clock = Stopwatch.StartNew();
        var stepsThisRun = 0;
        var gate = new Lock();
        progress?.Report(new AblationProgress(grid.Count, reused, reused, null, "starting", 0, settings.Training.Steps, null));
        using var slots = new SemaphoreSlim(Math.Max(1, cells.Parallelism));

        async Task RunCellAsync(AblationCell cell)
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                var startStep = -1;
                var lastStep = 0;
                var stepProgress = new SynchronousProgress<TrainingProgress>(training =>
                {
                    lock (gate)
                    {
                        startStep = startStep < 0 ? training.Step - 1 : startStep;
                        lastStep = training.Step;
                        var eta = Eta(grid.Count - results.Count, training.Step, stepsThisRun + training.Step - startStep, trained.Count, clock.Elapsed);
                        progress?.Report(new AblationProgress(grid.Count, results.Count, reused, cell, "training", training.Step, training.TotalSteps, eta));
                    }
                });
                var result = await cells.RunAsync(cell, CellDirectory(folder, cell), stepProgress, cancellationToken).ConfigureAwait(false);
                lock (gate)
                {
                    stepsThisRun += startStep < 0 ? 0 : lastStep - startStep;
                    results[cell.Key] = result;
                    trained.Add(cell.Key);
                    progress?.Report(new AblationProgress(grid.Count, results.Count, reused, cell, "finished", settings.Training.Steps, settings.Training.Steps, Eta(grid.Count - results.Count, 0, stepsThisRun, trained.Count, clock.Elapsed), result));
                }
            }
            finally
            {
                slots.Release();
            }
        }

        var pending = grid.Where(c => !results.ContainsKey(c.Key)).ToList();
        if (cells.Parallelism <= 1)
        {
            // One at a time, in grid order: an interruption leaves whole densities done.
            foreach (var cell in pending)
            {
                await RunCellAsync(cell).ConfigureAwait(false);
            }
        }
        else
        {
            await Task.WhenAll(pending.Select(RunCellAsync)).ConfigureAwait(false);
        }

        return new AblationOutcome(grid, grid.Select(c => results[c.Key]).ToList(), trained);
    }

    /// <summary>
    /// Time left at this run's pace: the steps still to train at its wall time per step trained (scoring included); where
    /// cells run elsewhere, several at once, the cells left at its wall time per cell finished. Null until it has a pace.
    /// </summary>
    private TimeSpan? Eta(int cellsLeft, int currentStep, int stepsTrained, int cellsFinished, TimeSpan elapsed)
    {
        if (cellsLeft == 0)
        {
            return TimeSpan.Zero;
        }

        if (cells.Parallelism > 1)
        {
            return cellsFinished > 0 ? elapsed * cellsLeft / cellsFinished : null;
        }

        if (stepsTrained <= 0)
        {
            return null;
        }

        var stepsLeft = ((long)cellsLeft * settings.Training.Steps) - currentStep;
        return TimeSpan.FromSeconds(Math.Max(0, stepsLeft) * elapsed.TotalSeconds / stepsTrained);
    }

    /// <summary>
    /// Marks the cell's folder as this cell under these settings; a folder marked for other settings is refused, so
    /// a changed configuration never resumes or reuses a training it did not make.
    /// </summary>
    private static void Claim(string directory, AblationCell cell, string fingerprint)
    {
        var path = Path.Combine(directory, CellFile);
        if (File.Exists(path))
        {
            CellClaim? claim;
            try
            {
                claim = AtomicFile.ReadJson<CellClaim>(path);
            }
            catch (JsonException)
            {
                claim = null;
            }

            if (claim is { } existing && existing.Fingerprint == fingerprint)
            {
                return;
            }

            if (claim is not null || Directory.Exists(Path.Combine(directory, LocalCellRunner.TrainDirectory)))
            {
                throw new ArgumentException(
                    $"{directory} holds cell {cell.Label} made with other settings (fingerprint {claim?.Fingerprint ?? "unreadable"}, now {fingerprint}); " +
                    "write this grid to another folder (--out), or delete that one to start it again");
            }
        }

        AtomicFile.WriteJson(path, new CellClaim(cell.Key, fingerprint));
    }

    private sealed record CellClaim(string Key, string Fingerprint);
}

/// <summary>The grid, every cell's result in grid order, and the keys of the cells this run trained (the others were reused).</summary>
public sealed record AblationOutcome(IReadOnlyList<AblationCell> Cells, IReadOnlyList<CellResult> Results, IReadOnlyList<string> Trained);
