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

        LearningRateSchedule.Validate(settings);
        var device = ComputeDevices.Select(settings.Device);
        var task = SegmentationTasks.Create(job.Variant, settings.DistanceLambda);
        using var model = new UNet(settings.Architecture, task.Heads(job.Classes.Count), settings.Seed);

        // Weights are loaded while the model is still on the CPU, and the optimizer is built only after the move:
        // moving a TorchSharp module replaces its parameter tensors, which an earlier optimizer would not see.
        // Checkpoints hold CPU tensors (TorchSharp saves through host memory), so they load on either device.
        var startStep = 0;
        var lossHistory = new List<double>();
        string? warmStartedFrom = null;
        var stepsDirectory = Path.Combine(job.OutputDirectory, StepsDirectory);
        var latest = LatestStepCheckpoint(stepsDirectory);
        if (latest is { } resumed)
        {
            model.load(Path.Combine(resumed.Directory, Checkpoint.ModelFile));
            startStep = resumed.Metadata.Step;
            lossHistory.AddRange(resumed.Metadata.LossHistory);
            warmStartedFrom = resumed.Metadata.WarmStartedFrom;
        }
        else if (job.WarmStartCheckpoint is { } warm && IsCompatible(warm, job, settings.Architecture))
        {
            model.load(Path.Combine(warm, Checkpoint.ModelFile));
            warmStartedFrom = warm;
        }

        model.to(device);
        using var optimizer = optim.Adam(model.parameters(), settings.LearningRate);
        if (latest is { } withOptimizer)
        {
            // Adam's state is created beside each parameter (on the device) and filled from the file.
            optimizer.load_state_dict(Path.Combine(withOptimizer.Directory, Checkpoint.OptimizerFile));
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
                    foreach (var group in optimizer.ParamGroups)
                    {
                        group.LearningRate = LearningRateSchedule.At(step, settings);
                    }

                    var batch = sampler.Sample(step).To(device);
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

    /// <summary>
    /// Why a warm start from <paramref name="checkpoint"/> cannot seed <paramref name="job"/> on
    /// <paramref name="architecture"/> (it needs the same heads, classes and backbone); null when it can.
    /// Training on an incompatible warm start starts cold instead.
    /// </summary>
    public static string? WarmStartProblem(string checkpoint, TrainingJob job, ModelArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(architecture);
        var metadata = Checkpoint.ReadVerified(checkpoint);
        if (metadata is null)
        {
            return $"{checkpoint} is not a complete checkpoint (no valid {Checkpoint.MetadataFile} and {Checkpoint.ModelFile})";
        }

        if (metadata.Variant != job.Variant)
        {
            return $"{checkpoint} is a {metadata.Variant} model, not {job.Variant}";
        }

        if (!metadata.Classes.SequenceEqual(job.Classes))
        {
            return $"{checkpoint} predicts {string.Join(",", metadata.Classes)}, not {string.Join(",", job.Classes)}";
        }

        var trained = metadata.Architecture;
        var sameBackbone = trained.BaseFeatures == architecture.BaseFeatures
            && trained.FeatureMultiplier == architecture.FeatureMultiplier
            && trained.Planar == architecture.Planar
            && trained.DownsampleFactors.Count == architecture.DownsampleFactors.Count
            && trained.DownsampleFactors.Zip(architecture.DownsampleFactors).All(p => p.First.SequenceEqual(p.Second));
        return sameBackbone ? null : $"{checkpoint} has a different network ({Describe(trained)}, not {Describe(architecture)})";
    }

    private static bool IsCompatible(string checkpoint, TrainingJob job, ModelArchitecture architecture) =>
        WarmStartProblem(checkpoint, job, architecture) is null;

    private static string Describe(ModelArchitecture architecture) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{(architecture.Planar ? "2D" : "3D")}, {architecture.BaseFeatures} base features x{architecture.FeatureMultiplier}, downsampling {string.Join(" ", architecture.DownsampleFactors.Select(f => string.Join("x", f)))}");
}
