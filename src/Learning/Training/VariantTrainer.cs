using System.Diagnostics;
using System.Globalization;
using HotDistance.Contracts;
using HotDistance.Core.Telemetry;
using HotDistance.Core.Volumes;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Model;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HotDistance.Learning.Training;

/// <summary>
/// Trains one variant. Runs on its own thread because TorchSharp's dispose scopes are thread-bound; writes a
/// checkpoint every <see cref="TrainingSettings.CheckpointEvery"/> steps and resumes from the newest valid one,
/// so a killed run loses at most that many steps.
/// </summary>
public sealed class VariantTrainer(TrainingSettings settings)
{
    public const string FinalDirectory = CheckpointReferences.FinalFolder;
    public const string StepsDirectory = "steps";

    public Task<TrainingResult> RunAsync(TrainingJob job, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var completion = new TaskCompletionSource<TrainingResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            // The thread inherits the caller's trace context, so the span sits under the consumer's. Finished ends it
            // before the caller hears the outcome: a host shut down right after would otherwise never export it.
            var span = PipelineTelemetry.Traces.StartActivity($"train {job.Variant}");
            span?.SetTag("hd.variant", job.Variant).SetTag("hd.generation", job.GenerationId).SetTag("hd.steps", settings.Steps);
            try
            {
                var result = Run(job, progress, cancellationToken);
                span?.SetTag("hd.final_loss", result.Metadata.FinalLoss);
                Finished(job, "trained", span, null);
                completion.SetResult(result);
            }
            catch (OperationCanceledException)
            {
                Finished(job, "cancelled", span, "cancelled");
                completion.SetCanceled(cancellationToken);
            }
#pragma warning disable CA1031 // Whatever fails on the training thread must reach the awaiting caller.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Finished(job, exception is TrainingDivergedException ? "diverged" : "failed", span, exception.Message);
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

    private static void Finished(TrainingJob job, string outcome, Activity? span, string? error)
    {
        PipelineTelemetry.TrainingJobs.Add(1, new KeyValuePair<string, object?>("hd.variant", job.Variant), new KeyValuePair<string, object?>("hd.outcome", outcome));
        if (error is not null)
        {
            span?.SetStatus(ActivityStatusCode.Error, error);
        }

        span?.Dispose();
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
        var skippedSteps = new List<int>();
        string? warmStartedFrom = null;
        var stepsDirectory = Path.Combine(job.OutputDirectory, StepsDirectory);
        var latest = LatestStepCheckpoint(stepsDirectory, model);
        if (latest is { } resumed)
        {
            startStep = resumed.Metadata.Step;
            lossHistory.AddRange(resumed.Metadata.LossHistory);
            skippedSteps.AddRange(resumed.Metadata.SkippedSteps);
            warmStartedFrom = resumed.Metadata.WarmStartedFrom;
        }
        else if (job.WarmStartCheckpoint is { } warm && Checkpoint.ReadVerified(warm) is { } warmMetadata
            && WarmStartProblem(warm, warmMetadata, job, settings.Architecture, settings.Intensity) is null)
        {
            WarmStart.Load(model, job.Classes, warm, warmMetadata);
            warmStartedFrom = warm;
        }

        model.to(device);
        using var optimizer = optim.Adam(model.parameters(), settings.LearningRate);
        if (latest is { } withOptimizer)
        {
            // Adam's state is created beside each parameter (on the device) and filled from the file.
            optimizer.load_state_dict(Path.Combine(withOptimizer.Directory, Checkpoint.OptimizerFile));
        }

        var preparing = Stopwatch.StartNew();
        var data = job.Crops.Select(c => CropTensors.Create(c, job.Classes, task, settings)).ToList();
        var targetsTime = preparing.Elapsed;
        try
        {
            var sampler = new PatchSampler(data, settings.PatchSize, settings.Architecture.TotalDownsample(), settings.BatchSize, settings.Seed, settings.NewCropWeight);
            model.train();
            var clock = Stopwatch.StartNew();
            for (var step = startStep; step < settings.Steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var done = step + 1;
                var learningRate = LearningRateSchedule.At(step, settings);
                PipelineTelemetry.TrainingSteps.Add(1, new KeyValuePair<string, object?>("hd.variant", job.Variant));
                var trained = TrainStep(model, optimizer, task, sampler, step, device, learningRate);
                if (trained is { } loss)
                {
                    lossHistory.Add(loss);
                }
                else
                {
                    skippedSteps.Add(done);
                    if (skippedSteps.Count > settings.MaxNonFiniteSteps)
                    {
                        throw Diverged(job, done, learningRate, skippedSteps, $"{skippedSteps.Count} steps gave a non-finite loss or gradient", stepsDirectory);
                    }
                }

                var rate = (done - startStep) / Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
                if (lossHistory.Count > 0)
                {
                    progress?.Report(new TrainingProgress(job.Variant, done, settings.Steps, lossHistory[^1], rate)
                    {
                        SkippedSteps = skippedSteps.Count,
                        LearningRate = learningRate,
                        StepSkipped = trained is null,
                    });
                }

                if (done % settings.CheckpointEvery == 0 && done < settings.Steps)
                {
                    SaveGuarded(Path.Combine(stepsDirectory, StepDirectoryName(done)), model, optimizer, Metadata(job, done, lossHistory, skippedSteps, warmStartedFrom), job, learningRate, stepsDirectory);
                }
            }

            var metadata = SaveGuarded(finalDirectory, model, optimizer, Metadata(job, settings.Steps, lossHistory, skippedSteps, warmStartedFrom), job, LearningRateSchedule.At(settings.Steps - 1, settings), stepsDirectory);
            return new TrainingResult(finalDirectory, metadata, startStep) { TargetsTime = targetsTime };
        }
        finally
        {
            foreach (var crop in data)
            {
                crop.Dispose();
            }
        }
    }

    /// <summary>
    /// One optimisation step; the loss, or null when the loss or a gradient was not finite, in which case the
    /// weights are left as they were (Adam's state too: its step counter only moves in step()).
    /// </summary>
    private static double? TrainStep(UNet model, Adam optimizer, SegmentationTask task, PatchSampler sampler, int step, Device device, double learningRate)
    {
        using var scope = NewDisposeScope();
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
        }

        var onDevice = sampler.Sample(step).To(device);
        optimizer.zero_grad();
        var output = model.forward(onDevice.Input);
        var loss = task.Loss(output, onDevice.Target, onDevice.Weight);
        var value = loss.ToSingle();
        if (!float.IsFinite(value))
        {
            return null;
        }

        loss.backward();
        if (!FiniteCheck.GradientsFinite(model))
        {
            optimizer.zero_grad();
            return null;
        }

        optimizer.step();
        return value;
    }

    /// <summary>Saves a checkpoint unless the weights went non-finite, which stops the job as diverged instead.</summary>
    private CheckpointMetadata SaveGuarded(string directory, UNet model, Adam optimizer, CheckpointMetadata metadata, TrainingJob job, double learningRate, string stepsDirectory)
    {
        if (FiniteCheck.NonFiniteWeights(model) is { Count: > 0 } broken)
        {
            throw Diverged(job, metadata.Step, learningRate, metadata.SkippedSteps, $"the weights of {string.Join(", ", broken.Take(3))} became non-finite", stepsDirectory);
        }

        return Checkpoint.Save(directory, model, optimizer, metadata);
    }

    private TrainingDivergedException Diverged(TrainingJob job, int step, double learningRate, IReadOnlyList<int> skippedSteps, string what, string stepsDirectory)
    {
        var lastGood = LatestStepCheckpoint(stepsDirectory, model: null)?.Directory;
        return new TrainingDivergedException(string.Create(
            CultureInfo.InvariantCulture,
            $"{job.Variant}{(job.GenerationId is { } g ? $" of {g}" : string.Empty)} diverged at step {step} of {settings.Steps}: {what} " +
            $"(skipped steps: {string.Join(", ", skippedSteps.TakeLast(10))}; limit {settings.MaxNonFiniteSteps}) at learning rate {learningRate:G3}. " +
            $"{(lastGood is null ? "No checkpoint was kept." : $"The newest good checkpoint is {lastGood}.")} " +
            $"Fix: lower the learning rate (now {settings.LearningRate:G3}, e.g. to {settings.LearningRate / 3:G3}), and check the crops' raw data for NaN or infinite values."));
    }

    private static string StepDirectoryName(int step) => $"step-{step.ToString("D7", CultureInfo.InvariantCulture)}";

    private CheckpointMetadata Metadata(TrainingJob job, int step, List<double> lossHistory, List<int> skippedSteps, string? warmStartedFrom) =>
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
            SavedAt: default)
        {
            SkippedSteps = skippedSteps.ToList(),
            Intensity = settings.Intensity,
            Training = settings,
        };

    /// <summary>
    /// The newest complete step checkpoint; with a <paramref name="model"/>, also loaded into it. A checkpoint whose
    /// weights or optimiser state are not finite (written before this guard existed, or edited: its hashes can still
    /// verify) is discarded, so a resume never starts from a broken model and the step is written afresh.
    /// </summary>
    private static (string Directory, CheckpointMetadata Metadata)? LatestStepCheckpoint(string stepsDirectory, UNet? model)
    {
        if (!Directory.Exists(stepsDirectory))
        {
            return null;
        }

        foreach (var directory in Directory.EnumerateDirectories(stepsDirectory, "step-*").OrderByDescending(d => d, StringComparer.Ordinal))
        {
            if (Checkpoint.ReadVerified(directory) is not { } metadata)
            {
                continue;
            }

            if (model is not null)
            {
                model.load(Path.Combine(directory, Checkpoint.ModelFile));
                if (FiniteCheck.NonFiniteWeights(model).Count > 0 || !OptimizerStateFinite(directory, model))
                {
                    Checkpoint.Discard(directory);
                    continue;
                }
            }

            return (directory, metadata);
        }

        return null;
    }

    /// <summary>The checkpoint's optimiser state, read into a throwaway Adam over <paramref name="model"/>, is finite (or absent).</summary>
    private static bool OptimizerStateFinite(string directory, UNet model)
    {
        var path = Path.Combine(directory, Checkpoint.OptimizerFile);
        if (!File.Exists(path))
        {
            return true;
        }

        using var probe = optim.Adam(model.parameters());
        probe.load_state_dict(path);
        return FiniteCheck.NonFiniteOptimizerState(probe).Count == 0;
    }

    /// <summary>
    /// Why a warm start from <paramref name="checkpoint"/> cannot seed <paramref name="job"/> on
    /// <paramref name="architecture"/> (it needs the same variant and backbone, and the same
    /// <paramref name="intensity"/> normalisation, or its first layer would read the input at another scale); null when it can.
    /// Other classes are no obstacle: <see cref="WarmStart"/> grows the heads. Training on an incompatible warm start
    /// starts cold instead: a new lineage.
    /// </summary>
    public static string? WarmStartProblem(string checkpoint, TrainingJob job, ModelArchitecture architecture, IntensityNormalization intensity) =>
        WarmStartProblem(checkpoint, Checkpoint.ReadVerified(checkpoint), job, architecture, intensity);

    /// <summary>As above, for a checkpoint whose verified metadata (<paramref name="metadata"/>, null when it failed) the caller has read.</summary>
    public static string? WarmStartProblem(string checkpoint, CheckpointMetadata? metadata, TrainingJob job, ModelArchitecture architecture, IntensityNormalization intensity)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(architecture);
        if (metadata is null)
        {
            return $"{checkpoint} is not a complete checkpoint (no valid {Checkpoint.MetadataFile} and {Checkpoint.ModelFile})";
        }

        if (metadata.Variant != job.Variant)
        {
            return $"{checkpoint} is a {metadata.Variant} model, not {job.Variant}";
        }

        if (metadata.Intensity != intensity)
        {
            return $"{checkpoint} was trained on intensities normalised by {metadata.Intensity}, not {intensity}";
        }

        var trained = metadata.Architecture;
        var sameBackbone = trained.BaseFeatures == architecture.BaseFeatures
            && trained.FeatureMultiplier == architecture.FeatureMultiplier
            && trained.Planar == architecture.Planar
            && trained.DownsampleFactors.Count == architecture.DownsampleFactors.Count
            && trained.DownsampleFactors.Zip(architecture.DownsampleFactors).All(p => p.First.SequenceEqual(p.Second));
        return sameBackbone ? null : $"{checkpoint} has a different network ({Describe(trained)}, not {Describe(architecture)})";
    }

    private static string Describe(ModelArchitecture architecture) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{(architecture.Planar ? "2D" : "3D")}, {architecture.BaseFeatures} base features x{architecture.FeatureMultiplier}, downsampling {string.Join(" ", architecture.DownsampleFactors.Select(f => string.Join("x", f)))}");
}
