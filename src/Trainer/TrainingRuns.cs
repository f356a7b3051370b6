using System.Globalization;
using HotDistance.Charts;
using HotDistance.Contracts;
using HotDistance.Core.Tracking;
using HotDistance.Core.Workspace;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Model;
using HotDistance.Learning.Training;

namespace HotDistance.Trainer;

/// <summary>
/// How a training job appears in the experiment tracker: a run keyed by (generation, variant) nested under its
/// generation's run, with the job's parameters (variant, lambda, learning rate, steps, patch, architecture,
/// classes, distance scale, seed, each crop's content hash, warm start, code version) and tags (generation,
/// variant, runner, attempt). Its metrics come from <see cref="TrainingMetrics"/>.
/// </summary>
public static class TrainingRuns
{
    public const string LossChartFile = "loss.png";

    /// <summary>
    /// The job's run. Its key leaves the attempt out on purpose: a retry, a redelivery and a resume all log to the
    /// job's one run (the attempt is a tag). The caller holds the job lock, which serialises finding or creating it.
    /// </summary>
    public static TrackedRunSpec Describe(
        WorkspaceLayout workspace,
        TrainingRequested request,
        TrainingJob job,
        TrainingSettings training,
        ModelArchitecture architecture,
        string runner,
        int attempt)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(training);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["variant"] = job.Variant,
            ["lambda"] = Text(training.DistanceLambda),
            ["learning_rate"] = Text(training.LearningRate),
            ["learning_rate_decay_fraction"] = Text(training.LearningRateDecayFraction),
            ["steps"] = Text(training.Steps),
            ["patch_size"] = Text(training.PatchSize),
            ["batch_size"] = Text(training.BatchSize),
            ["architecture"] = architecture.ToString(),
            ["classes"] = string.Join(',', job.Classes),
            ["distance_scale_nm"] = Text(training.DistanceScaleNm),
            ["seed"] = Text(training.Seed),
            ["intensity"] = training.Intensity.ToString(),
            ["crops"] = Text(job.Crops.Count),
            ["new_crops"] = Text(job.Crops.Count(c => c.IsNew)),
            ["warm_start"] = request.WarmStartCheckpoint ?? "none",
            ["code_version"] = Checkpoint.CodeVersion,
        };

        // One parameter per crop: a list of every id and hash would pass MLflow's limit on a value after a few dozen crops.
        foreach (var crop in job.Crops)
        {
            parameters["crop." + crop.CropId] = crop.ContentHash;
        }

        return new TrackedRunSpec($"{request.GenerationId} {job.Variant}", PipelineRuns.TrainingKey(request.GenerationId, job.Variant))
        {
            Parent = PipelineRuns.Generation(workspace, request.GenerationId, request.GenerationNumber),
            Parameters = parameters,
            Tags = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["hd.generation_number"] = Text(request.GenerationNumber),
                ["hd.runner"] = runner,
                ["hd.attempt"] = Text(attempt),
            },
        };
    }

    /// <summary>loss.png: the job's loss per step as its checkpoint recorded it, drawn only when a tracker sends it.</summary>
    public static TrackedArtifact LossChart(string variant, IReadOnlyList<double> lossHistory) =>
        new(LossChartFile, () => Charts.LossChart.Render([new LossCurve(variant, lossHistory)]));

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
