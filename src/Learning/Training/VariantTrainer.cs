using System.Diagnostics;
using System.Globalization;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Model;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace HotDistance.Learning.Training;

/// <summary>
/// Trains one variant. Runs on its own thread because TorchSharp's dispose scopes are thread-bound; writes a
/// checkpoint every <see cref="TrainingSettings.CheckpointEvery"/> steps and resumes from the newest valid one,
/// so a killed run loses at most that many steps.
/// </summary>
public sealed class VariantTrainer(TrainingSettings settings)
{
    public const string FinalDirectory = "final";
    public const string StepsDirectory = "steps";

    public Task<TrainingResult> RunAsync(TrainingJob job, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var completion = new TaskCompletionSource<TrainingResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                completion.SetResult(Run(job, progress, cancellationToken));
            }
            catch (OperationCanceledException)
            {
                completion.SetCanceled(cancellationToken);
            }
#pragma warning disable CA1031 // Whatever fails on the training thread must reach the awaiting caller.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                completion.SetException(exception);
            }
        })
        {
            IsBackground = true,
            Name = $"train-{job.Variant}",
        };
        thread.Start();
        return completion.Task;
    }

    private TrainingResult Run(TrainingJob job, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        TorchRuntime.EnsureLoaded();
        var finalDirectory = Path.Combine(job.OutputDirectory, FinalDirectory);
        if (Checkpoint.ReadVerified(finalDirectory) is { } finished)
        {
            return new TrainingResult(finalDirectory, finished, finished.TotalSteps);
        }

        var task = SegmentationTasks.Create(job.Variant, settings.DistanceLambda);
        using var model = new UNet(settings.Architecture, task.Heads(job.Classes.Count), settings.Seed);
        using var optimizer = optim.Adam(model.parameters(), settings.LearningRate);

        var startStep = 0;
        var lossHistory = new List<double>();
        string? warmStartedFrom = null;
        var stepsDirectory = Path.Combine(job.OutputDirectory, StepsDirectory);
        if (LatestStepCheckpoint(stepsDirectory) is { } latest)
        {
            model.load(Path.Combine(latest.Directory, Checkpoint.ModelFile));
            optimizer.load_state_dict(Path.Combine(latest.Directory, Checkpoint.OptimizerFile));
            startStep = latest.Metadata.Step;
            lossHistory.AddRange(latest.Metadata.LossHistory);
            warmStartedFrom = latest.Metadata.WarmStartedFrom;
        }
        else if (job.WarmStartCheckpoint is { } warm && IsCompatible(warm, job, settings.Architecture))
        {
            model.load(Path.Combine(warm, Checkpoint.ModelFile));
            warmStartedFrom = warm;
        }

        var data = job.Crops.Select(c => CropTensors.Create(c, job.Classes, task, settings)).ToList();
        try
        {
            var sampler = new PatchSampler(data, settings.PatchSize, settings.Architecture.TotalDownsample(), settings.BatchSize, settings.Seed, settings.NewCropWeight);
            model.train();
            var clock = Stopwatch.StartNew();
            for (var step = startStep; step < settings.Steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using (NewDisposeScope())
                {
                    var batch = sampler.Sample(step);
                    optimizer.zero_grad();
                    var output = model.forward(batch.Input);
                    var loss = task.Loss(output, batch.Target, batch.Weight);
                    loss.backward();
                    optimizer.step();
                    lossHistory.Add(loss.ToSingle());
                }

                var done = step + 1;
                var rate = (done - startStep) / Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
                progress?.Report(new TrainingProgress(job.Variant, done, settings.Steps, lossHistory[^1], rate));
                if (done % settings.CheckpointEvery == 0 && done < settings.Steps)
                {
                    Checkpoint.Save(
                        Path.Combine(stepsDirectory, $"step-{done.ToString("D7", CultureInfo.InvariantCulture)}"),
                        model,
                        optimizer,
                        Metadata(job, done, lossHistory, warmStartedFrom));
                }
            }

            var metadata = Checkpoint.Save(finalDirectory, model, optimizer, Metadata(job, settings.Steps, lossHistory, warmStartedFrom));
            return new TrainingResult(finalDirectory, metadata, startStep);
        }
        finally
        {
            foreach (var crop in data)
            {
                crop.Dispose();
            }
        }
    }

    private CheckpointMetadata Metadata(TrainingJob job, int step, List<double> lossHistory, string? warmStartedFrom) =>
        new(
            job.Variant,
            job.Classes,
            job.Crops[0].Crop.VoxelSize.ToArray(),
            settings.DistanceScaleNm,
            settings.DistanceLambda,
            settings.Architecture,
            step,
            settings.Steps,
            job.GenerationId,
            warmStartedFrom,
            job.Crops.Select(c => new CropLineage(c.CropId, c.ContentHash)).ToList(),
            lossHistory.ToList(),
            ModelSha256: string.Empty,
            OptimizerSha256: null,
            CodeVersion: string.Empty,
            SavedAt: default);

    private static (string Directory, CheckpointMetadata Metadata)? LatestStepCheckpoint(string stepsDirectory)
    {
        if (!Directory.Exists(stepsDirectory))
        {
            return null;
        }

        return Directory.EnumerateDirectories(stepsDirectory, "step-*")
            .OrderByDescending(d => d, StringComparer.Ordinal)
            .Select(d => (Directory: d, Metadata: Checkpoint.ReadVerified(d)))
            .Where(c => c.Metadata is not null)
            .Select(c => ((string, CheckpointMetadata)?)(c.Directory, c.Metadata!))
            .FirstOrDefault();
    }

    /// <summary>A warm start needs the same heads, classes and backbone; otherwise training starts cold.</summary>
    private static bool IsCompatible(string checkpoint, TrainingJob job, ModelArchitecture architecture)
    {
        var metadata = Checkpoint.ReadVerified(checkpoint);
        return metadata is not null
            && metadata.Variant == job.Variant
            && metadata.Classes.SequenceEqual(job.Classes)
            && metadata.Architecture.BaseFeatures == architecture.BaseFeatures
            && metadata.Architecture.FeatureMultiplier == architecture.FeatureMultiplier
            && metadata.Architecture.Planar == architecture.Planar
            && metadata.Architecture.DownsampleFactors.Count == architecture.DownsampleFactors.Count
            && metadata.Architecture.DownsampleFactors.Zip(architecture.DownsampleFactors).All(p => p.First.SequenceEqual(p.Second));
    }
}
