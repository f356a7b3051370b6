using System.Collections.Concurrent;
using System.Diagnostics;
using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.Crops.Thinning;
using HotDistance.Core.Metrics;
using HotDistance.Evaluator;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Training;
using TorchSharp;

namespace HotDistance.Ablation;

/// <summary>
/// Runs a cell in this process: thins the training crops to the cell's density (once per density), trains with
/// <see cref="VariantTrainer"/> under the cell's folder (train/, whose step checkpoints a rerun resumes from), scores the
/// trained model on the held-out crops with <see cref="ModelScorer"/> (thresholds tuned on the thinned training crops,
/// as the evaluator tunes them), and writes the result.
/// </summary>
public sealed class LocalCellRunner(AblationSettings settings, AblationInputs inputs) : ICellRunner
{
    public const string TrainDirectory = "train";

    public int Parallelism => 1;

    private readonly ConcurrentDictionary<string, (IReadOnlyList<TrainingCrop> Crops, double Seconds)> thinned = new(StringComparer.Ordinal);

    public async Task<CellResult> RunAsync(AblationCell cell, string cellDirectory, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cell);
        TorchRuntime.EnsureLoaded();
        var threads = torch.get_num_threads();
        if (settings.TorchThreads > 0)
        {
            torch.set_num_threads(settings.TorchThreads);
        }

        try
        {
            return await RunCellAsync(cell, cellDirectory, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The setting is the process's, not the cell's: whatever else the process runs keeps its own.
            torch.set_num_threads(threads);
        }
    }

    private async Task<CellResult> RunCellAsync(AblationCell cell, string cellDirectory, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        var (crops, thinningSeconds) = Thinned(cell.Density);
        var training = settings.Training with
        {
            Seed = cell.Seed,
            DistanceLambda = cell.Arm.Lambda ?? settings.Training.DistanceLambda,
            Architecture = inputs.Architecture,
            Intensity = inputs.Intensity,
            MutuallyExclusive = inputs.MutuallyExclusive,
            Device = inputs.Device,
        };
        var job = new TrainingJob(cell.Arm.Variant, inputs.Classes, crops, Path.Combine(cellDirectory, TrainDirectory));
        var trainingClock = Stopwatch.StartNew();
        var trained = await new VariantTrainer(training).RunAsync(job, progress, cancellationToken).ConfigureAwait(false);
        var trainingSeconds = trainingClock.Elapsed.TotalSeconds - trained.TargetsTime.TotalSeconds;

        var scoringClock = Stopwatch.StartNew();
        var scored = await Score(trained, crops, cancellationToken).ConfigureAwait(false);
        var scoringSeconds = scoringClock.Elapsed.TotalSeconds;
        var report = scored.Report;
        var result = new CellResult(
            cell.Key,
            cell.Arm.Variant,
            cell.Arm.Lambda,
            cell.Density.Name,
            cell.Seed,
            CellFingerprint.Of(cell, settings, inputs),
            FiniteOrThrow(report.Overall, cell),
            report.SemanticScore,
            report.InstanceScore,
            report.Classes.ToDictionary(c => c.ClassName, c => c.Score, StringComparer.Ordinal),
            report.Crops.Select(c => new CropCounts(c.CropName, c.ClassName, c.Voxels, c.Instances?.Counts)).ToList(),
            trained.Metadata.LossHistory,
            new CellTimings(wall.Elapsed.TotalSeconds, thinningSeconds, trained.TargetsTime.TotalSeconds, trainingSeconds, scoringSeconds, trained.StartStep),
            DateTimeOffset.UtcNow);
        CellResultFile.Write(cellDirectory, result);
        return result;
    }

    /// <summary>The density's training crops; the time it took is charged to the first cell that asked.</summary>
    internal (IReadOnlyList<TrainingCrop> Crops, double Seconds) Thinned(AnnotationDensity density)
    {
        if (thinned.TryGetValue(density.Name, out var cached))
        {
            return (cached.Crops, 0);
        }

        var clock = Stopwatch.StartNew();
        var used = inputs.Training.Take(density.CropCount > 0 ? density.CropCount : inputs.Training.Count).ToList();
        var thinnedCrops = AnnotationThinner.ThinAll(used.Select(c => c.Crop).ToList(), density, settings.ThinningSeed);
        var crops = used.Zip(thinnedCrops, (c, t) => c with { Crop = t, ContentHash = density.KeepsLabels ? c.ContentHash : $"{c.ContentHash}:{density.Name}" }).ToList();
        if (crops.All(c => c.Crop.Labels.Count == 0))
        {
            throw new ArgumentException($"density {density.Name} leaves no annotation on any training crop");
        }

        var made = (Crops: (IReadOnlyList<TrainingCrop>)crops, clock.Elapsed.TotalSeconds);
        thinned[density.Name] = made;
        return made;
    }

    private async Task<ScoredModel> Score(TrainingResult trained, IReadOnlyList<TrainingCrop> crops, CancellationToken cancellationToken)
    {
        var metadata = Checkpoint.ReadVerified(trained.CheckpointDirectory)
            ?? throw new CheckpointException(trained.CheckpointDirectory, "is not complete after training");
        var evaluator = new EvaluatorSettings { Device = inputs.Device };
        var pipeline = new PipelineSettings { Workspace = trained.CheckpointDirectory, Classes = inputs.Classes, InstanceClasses = [.. inputs.InstanceClasses], MutuallyExclusive = inputs.MutuallyExclusive };
        var validation = settings.TuneThresholds
            ? crops.Select(c => c.Crop).Take(ValidationCrops.Count(crops.Count, evaluator.ValidationFraction, evaluator.MaxValidationCrops)).ToList()
            : null;
        var candidate = new ScoringCandidate(metadata.Variant, "ablation", trained.CheckpointDirectory, trained.CheckpointDirectory, metadata.ModelSha256);
        var scored = await ModelScorer.ScoreOnDedicatedThreadAsync([candidate], inputs.HeldOut, pipeline, 0, cancellationToken, validation, evaluator).ConfigureAwait(false);
        return scored[0];
    }

    private static double FiniteOrThrow(double value, AblationCell cell) =>
        double.IsFinite(value) ? value : throw new InvalidOperationException($"cell {cell.Label} scored {value}: a score must be finite");
}
