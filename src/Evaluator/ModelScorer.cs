using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.Metrics;
using HotDistance.Core.Security;
using HotDistance.Core.PostProcessing;
using HotDistance.Core.Volumes;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Inference;
using HotDistance.Learning.Model;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Tasks;

namespace HotDistance.Evaluator;

/// <summary>
/// Runs each model over every held-out crop, post-processes with the model's own task, and scores with the
/// CellMap metrics. Before that, when validation crops (training crops, never held-out ones) are given, each
/// class's thresholds are tuned on them (<see cref="ThresholdTuner"/>) and the held-out crops are scored with the
/// tuned thresholds. Inference runs on a dedicated thread because TorchSharp's dispose scopes are thread-bound.
/// For the first <c>exampleCrops</c> crops it keeps the post-processed middle Z slice of every class, which the
/// report draws.
/// </summary>
public static class ModelScorer
{
    public static Task<IReadOnlyList<ScoredModel>> ScoreOnDedicatedThreadAsync(
        IReadOnlyList<ScoringCandidate> candidates,
        IReadOnlyList<Crop> crops,
        PipelineSettings pipeline,
        int exampleCrops,
        CancellationToken cancellationToken,
        IReadOnlyList<Crop>? validationCrops = null,
        EvaluatorSettings? settings = null)
    {
        var completion = new TaskCompletionSource<IReadOnlyList<ScoredModel>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                completion.SetResult(candidates.Select(c => Score(c, crops, pipeline, exampleCrops, cancellationToken, validationCrops, settings)).ToList());
            }
#pragma warning disable CA1031 // Whatever fails on the scoring thread must reach the awaiting caller.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                completion.SetException(exception);
            }
        })
        {
            IsBackground = true,
            Name = "evaluate",
        };
        thread.Start();
        return completion.Task;
    }

    public static ScoredModel Score(
        ScoringCandidate candidate,
        IReadOnlyList<Crop> crops,
        PipelineSettings pipeline,
        int exampleCrops,
        CancellationToken cancellationToken,
        IReadOnlyList<Crop>? validationCrops = null,
        EvaluatorSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(crops);
        ArgumentNullException.ThrowIfNull(pipeline);
        settings ??= new EvaluatorSettings();
        TorchRuntime.EnsureLoaded();
        var device = ComputeDevices.Select(settings.Device);
        var (model, metadata) = Checkpoint.Load(candidate.Directory);
        using (model)
        {
            if (!string.Equals(metadata.ModelSha256, candidate.ModelSha256, StringComparison.Ordinal))
            {
                throw new UntrustedInputException(
                    candidate.Checkpoint,
                    $"checkpoint {candidate.Checkpoint} changed after it was checked: its weights now have SHA-256 {metadata.ModelSha256}, not {candidate.ModelSha256}: refused");
            }

            var task = SegmentationTasks.Create(metadata.Variant, metadata.DistanceLambda);
            var instanceClasses = (metadata.PostProcessing?.InstanceClasses ?? pipeline.InstanceClasses).ToHashSet(StringComparer.Ordinal);
            // A promoted model carries the thresholds it was promoted with and is scored as it is deployed;
            // a model fresh from training has its thresholds tuned on validation crops.
            var thresholds = metadata.PostProcessing is { } deployed
                ? metadata.Classes.ToDictionary(c => c, c => deployed.Thresholds.TryGetValue(c, out var t) ? t : ThresholdTuner.Defaults([c])[c], StringComparer.Ordinal)
                : validationCrops is { Count: > 0 }
                ? ThresholdTuner.Tune(
                    task,
                    metadata.Classes,
                    Predictions(model, metadata, validationCrops, settings.Tiling, device, cancellationToken),
                    instanceClasses,
                    settings.ProbabilityThresholds,
                    settings.SeedThresholds)
                : ThresholdTuner.Defaults(metadata.Classes);
            var options = thresholds.ToDictionary(t => t.Key, t => DeployedPostProcessing.ToOptions(t.Value), StringComparer.Ordinal);

            var channels = metadata.Classes.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => p.index, StringComparer.Ordinal);
            var scorer = new SegmentationScorer(new ScoringOptions { InstanceClasses = instanceClasses });
            var examples = new List<PredictedSlice>();
            foreach (var (crop, prediction) in Predictions(model, metadata, crops, settings.Tiling, device, cancellationToken))
            {
                // Every model is scored on the pipeline's classes, so models from before and after a change of the
                // class list compare fairly: a class the model does not predict scores as an empty prediction (as the
                // challenge scores a missing one), and a class the pipeline dropped is not scored.
                var predictions = new Dictionary<string, ClassPrediction>(StringComparer.Ordinal);
                foreach (var className in pipeline.Classes.Where(crop.Annotates))
                {
                    var instance = instanceClasses.Contains(className);
                    predictions[className] = channels.TryGetValue(className, out var c)
                        ? task.PostProcess(prediction, c, instance, options[className])
                        : new ClassPrediction(new Volume<byte>(crop.Shape), instance ? new Volume<uint>(crop.Shape) : null);
                }

                scorer.AddCrop(crop, predictions);
                if (examples.Count < exampleCrops)
                {
                    examples.Add(new PredictedSlice(
                        crop.Name,
                        predictions.ToDictionary(
                            p => p.Key,
                            p => new LabelSlice(MiddleSlice.Of(p.Value.Mask), p.Value.Instances is { } ids ? MiddleSlice.Of(ids) : null),
                            StringComparer.Ordinal)));
                }
            }

            var report = scorer.CreateReport();
            var perClass = report.Classes.ToDictionary(c => c.ClassName, c => c.Score, StringComparer.Ordinal);
            var score = new ModelScore(metadata.Variant, candidate.Role, candidate.Checkpoint, metadata.ModelSha256, report.Overall, perClass, thresholds, candidate.TrackingRunId);
            return new ScoredModel(score, report, examples, metadata.LossHistory);
        }
    }

    /// <summary>
    /// Predictions made as they are consumed, so only a batch of crops' channels is ever in memory; each crop's raw
    /// normalised as the model was trained.
    /// </summary>
    private static IEnumerable<(Crop Crop, Prediction Prediction)> Predictions(
        UNet model,
        CheckpointMetadata metadata,
        IReadOnlyList<Crop> crops,
        TilingOptions tiling,
        TorchSharp.torch.Device device,
        CancellationToken cancellationToken)
    {
        var inputs = crops.Select(crop =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            return metadata.Intensity.Apply(crop.Raw, crop.RawMaximum);
        });
        return crops.Zip(CropPredictor.PredictEach(model, inputs, metadata.Classes, device, tiling));
    }
}
