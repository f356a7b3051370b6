using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.Metrics;
using HotDistance.Core.PostProcessing;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Inference;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Tasks;

namespace HotDistance.Evaluator;

/// <summary>
/// Runs each model over every held-out crop, post-processes with the model's own task, and scores with the
/// CellMap metrics. Inference runs on a dedicated thread because TorchSharp's dispose scopes are thread-bound.
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
        CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<IReadOnlyList<ScoredModel>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                completion.SetResult(candidates.Select(c => Score(c, crops, pipeline, exampleCrops, cancellationToken)).ToList());
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
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(crops);
        ArgumentNullException.ThrowIfNull(pipeline);
        TorchRuntime.EnsureLoaded();
        var (model, metadata) = Checkpoint.Load(candidate.CheckpointDirectory);
        using (model)
        {
            var task = SegmentationTasks.Create(metadata.Variant, metadata.DistanceLambda);
            var instanceClasses = pipeline.InstanceClasses.ToHashSet(StringComparer.Ordinal);
            var scorer = new SegmentationScorer(new ScoringOptions { InstanceClasses = instanceClasses });
            var options = new PostProcessingOptions();
            var examples = new List<PredictedSlice>();
            foreach (var crop in crops)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var prediction = CropPredictor.Predict(model, crop.Raw, metadata.Classes);
                var predictions = new Dictionary<string, ClassPrediction>(StringComparer.Ordinal);
                for (var c = 0; c < metadata.Classes.Count; c++)
                {
                    var className = metadata.Classes[c];
                    if (crop.Annotates(className))
                    {
                        predictions[className] = task.PostProcess(prediction, c, instanceClasses.Contains(className), options);
                    }
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
            return new ScoredModel(new ModelScore(metadata.Variant, candidate.Role, candidate.CheckpointDirectory, report.Overall, perClass), report, examples);
        }
    }
}
