using System.Globalization;
using System.Reflection;
using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.IO;
using HotDistance.Core.Registry;
using HotDistance.Core.Security;
using HotDistance.Core.Tracking;
using HotDistance.Core.Workspace;
using HotDistance.Learning.Checkpoints;
using Microsoft.Extensions.Logging;

namespace HotDistance.Publisher;

/// <summary>
/// Registers an evaluation's winner and makes it the champion. Idempotent by evaluation: the outcome is recorded
/// under promotions/, and a redelivered evaluation replays that record instead of touching the registry again
/// (moving the champion back to an older version when a later generation has since been promoted). Decisions
/// are taken under a lock, so two publishers never race, and the registry's own idempotency key covers a crash
/// between registering and recording. The old champion stays findable as <see cref="RegistryAliases.PreviousChampion"/>.
/// Only the evaluator's own decisions are acted on: the message must match the evaluation the evaluator recorded
/// in the workspace, and the winner must be a checkpoint the trainers wrote, with the SHA-256 that was scored.
/// Anything else is refused (<see cref="UntrustedInputException"/>) and changes nothing.
/// </summary>
public sealed class Promoter(
    WorkspaceLayout workspace,
    PipelineSettings pipeline,
    IModelRegistry registry,
    ILogger<Promoter> logger)
{
    public async Task<(ModelPromoted? Promoted, PromotionDeclined? Declined)> PromoteAsync(EvaluationCompleted evaluation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        evaluation = Recorded(evaluation);
        var recordPath = workspace.PromotionRecord(evaluation.EvaluationId);
        using var gate = await DirectoryLock.AcquireAsync(workspace.Promotions, cancellationToken).ConfigureAwait(false);
        if (File.Exists(recordPath) && AtomicFile.ReadJson<PromotionRecord>(recordPath) is { } decided)
        {
            logger.LogInformation("{GenerationId}: decided before; announcing the recorded outcome again", evaluation.GenerationId);
            return await ReplayAsync(evaluation, decided, cancellationToken).ConfigureAwait(false);
        }

        if (evaluation.Winner is not { } winner)
        {
            AtomicFile.WriteJson(recordPath, new PromotionRecord(evaluation.GenerationId, false, null, evaluation.Reason, DateTimeOffset.UtcNow));
            logger.LogInformation("{GenerationId}: not promoted: {Reason}", evaluation.GenerationId, evaluation.Reason);
            return (null, new PromotionDeclined(evaluation.GenerationId, evaluation.Reason, DateTimeOffset.UtcNow));
        }

        var artifact = StageArtifact(evaluation, winner);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["variant"] = winner.Variant,
            ["generation"] = evaluation.GenerationId,
            ["overall"] = winner.Overall.ToString("R", CultureInfo.InvariantCulture),
            ["training_crops"] = string.Join(',', evaluation.TrainingCropIds),
        };
        if (winner.TrackingRunId is { } trainingRun)
        {
            // A registry on the tracking server links the version to the run that trained it.
            tags[PipelineRuns.TrainingRunTag] = trainingRun;
        }

        var version = await registry.RegisterAsync(pipeline.ModelName, artifact, "model.pt", $"generation:{evaluation.GenerationId}", tags, cancellationToken).ConfigureAwait(false);
        Directory.Delete(artifact, recursive: true);

        var current = await registry.GetByAliasAsync(pipeline.ModelName, RegistryAliases.Champion, cancellationToken).ConfigureAwait(false);
        if (current is not null && current.Version != version.Version)
        {
            await registry.SetAliasAsync(pipeline.ModelName, RegistryAliases.PreviousChampion, current.Version, cancellationToken).ConfigureAwait(false);
        }

        await registry.SetAliasAsync(pipeline.ModelName, RegistryAliases.Champion, version.Version, cancellationToken).ConfigureAwait(false);
        AtomicFile.WriteJson(recordPath, new PromotionRecord(evaluation.GenerationId, true, version.Version, evaluation.Reason, DateTimeOffset.UtcNow));
        logger.LogInformation("{GenerationId}: {Variant} promoted as {Model} v{Version}", evaluation.GenerationId, winner.Variant, pipeline.ModelName, version.Version);
        return (new ModelPromoted(pipeline.ModelName, version.Version, evaluation.GenerationId, winner.Variant, version.Location, version.Sha256, winner.Overall, DateTimeOffset.UtcNow), null);
    }

    private async Task<(ModelPromoted? Promoted, PromotionDeclined? Declined)> ReplayAsync(
        EvaluationCompleted evaluation, PromotionRecord decided, CancellationToken cancellationToken)
    {
        if (!decided.Promoted)
        {
            return (null, new PromotionDeclined(evaluation.GenerationId, decided.Reason, decided.DecidedAt));
        }

        var versions = await registry.ListVersionsAsync(pipeline.ModelName, cancellationToken).ConfigureAwait(false);
        var version = versions.SingleOrDefault(v => v.Version == decided.Version)
            ?? throw new InvalidOperationException(
                $"promotions/{evaluation.EvaluationId}.json records {pipeline.ModelName} v{decided.Version}, which the registry does not have: restore the registry or delete the record to promote again");
        var winner = evaluation.Winner!;
        return (new ModelPromoted(pipeline.ModelName, version.Version, evaluation.GenerationId, winner.Variant, version.Location, version.Sha256, winner.Overall, decided.DecidedAt), null);
    }

    /// <summary>
    /// What inference needs of the checkpoint (weights and checkpoint.json, no optimiser state) plus a model card, in
    /// a scratch directory the registry copies from.
    /// </summary>
    private string StageArtifact(EvaluationCompleted evaluation, ModelScore winner)
    {
        var (checkpoint, _) = TrainedCheckpoints.Resolve(workspace, winner.Checkpoint, winner.ModelSha256);
        var staging = Path.Combine(workspace.Promotions, $".artifact-{Guid.NewGuid():N}");
        if (Checkpoint.CopyForInference(checkpoint, staging) is not { } metadata || metadata.ModelSha256 != winner.ModelSha256)
        {
            Directory.Delete(staging, recursive: true);
            throw new CheckpointException(winner.Checkpoint, "changed while it was copied for promotion: retrain this generation");
        }

        // Sites and later evaluations segment with exactly what this evaluation scored.
        var postProcessing = new ModelPostProcessing(
            winner.Thresholds ?? new Dictionary<string, ClassThresholds>(),
            metadata.Classes.Where(pipeline.InstanceClasses.Contains).ToList());
        Checkpoint.AttachPostProcessing(staging, postProcessing);
        var card = new ModelCard(
            pipeline.ModelName,
            evaluation.GenerationId,
            winner.Variant,
            winner.Overall,
            winner.PerClass,
            metadata.Classes,
            metadata.VoxelSizeNm,
            metadata.ScaleNm,
            evaluation.TrainingCropIds,
            metadata.Lineage.Select(c => new ModelCardCrop(c.CropId, c.ContentHash)).ToList(),
            evaluation.HeldOutCropIds,
            evaluation.ReportPath,
            evaluation.Reason,
            metadata.ModelSha256,
            metadata.CodeVersion,
            typeof(Promoter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            DateTimeOffset.UtcNow)
        {
            PostProcessing = postProcessing,
            Intensity = metadata.Intensity,
            Training = metadata.Training,
        };
        AtomicFile.WriteJson(Path.Combine(staging, ModelCard.FileName), card);
        return staging;
    }

    /// <summary>
    /// The evaluation as the evaluator recorded it, when the message says the same: same generation, same winner
    /// (or none), same checkpoint and SHA-256. A message with no such record, or one that differs, is refused.
    /// </summary>
    private EvaluationCompleted Recorded(EvaluationCompleted message)
    {
        var path = workspace.EvaluationResult(message.EvaluationId);
        var recorded = File.Exists(path) ? AtomicFile.ReadJson<EvaluationCompleted>(path) : null;
        if (recorded is null)
        {
            throw new UntrustedInputException(
                message.EvaluationId,
                $"evaluation {message.EvaluationId} is not recorded in the workspace ({path}): only the evaluator's own decisions are promoted; refused");
        }

        if (recorded.GenerationId != message.GenerationId || Describe(recorded.Winner) != Describe(message.Winner))
        {
            throw new UntrustedInputException(
                message.EvaluationId,
                $"evaluation {message.EvaluationId} names {message.GenerationId} and winner {Describe(message.Winner)}, but the evaluator recorded {recorded.GenerationId} and {Describe(recorded.Winner)}: refused");
        }

        return recorded;
    }

    private static string Describe(ModelScore? winner) =>
        winner is null ? "none" : $"{winner.Variant} at {winner.Checkpoint} (SHA-256 {winner.ModelSha256})";
}
