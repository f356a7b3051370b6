using System.Globalization;
using System.Reflection;
using System.Text.Json;
using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.IO;
using HotDistance.Core.Registry;
using HotDistance.Core.Workspace;
using Microsoft.Extensions.Logging;

namespace HotDistance.Publisher;

/// <summary>
/// Registers an evaluation's winner and makes it the champion. Idempotent by generation: the registry returns
/// the version already registered for it, so a redelivered evaluation moves nothing twice. The old champion
/// stays findable as <see cref="RegistryAliases.PreviousChampion"/>.
/// </summary>
public sealed class Promoter(
    WorkspaceLayout workspace,
    PipelineSettings pipeline,
    IModelRegistry registry,
    ILogger<Promoter> logger)
{
    private const string CheckpointMetadataFile = "checkpoint.json";

    public async Task<(ModelPromoted? Promoted, PromotionDeclined? Declined)> PromoteAsync(EvaluationCompleted evaluation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var recordPath = Path.Combine(workspace.Root, "promotions", $"{evaluation.EvaluationId}.json");
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

    /// <summary>The checkpoint's files plus a model card, in a scratch directory the registry copies from.</summary>
    private string StageArtifact(EvaluationCompleted evaluation, ModelScore winner)
    {
        var staging = Path.Combine(workspace.Root, "promotions", $".artifact-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        foreach (var file in Directory.EnumerateFiles(winner.CheckpointPath))
        {
            File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
        }

        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(winner.CheckpointPath, CheckpointMetadataFile)));
        var root = metadata.RootElement;
        var lineage = root.TryGetProperty("Lineage", out var crops)
            ? crops.EnumerateArray().Select(c => new ModelCardCrop(c.GetProperty("CropId").GetString()!, c.GetProperty("ContentHash").GetString()!)).ToList()
            : [];
        var card = new ModelCard(
            pipeline.ModelName,
            evaluation.GenerationId,
            winner.Variant,
            winner.Overall,
            winner.PerClass,
            root.GetProperty("Classes").EnumerateArray().Select(e => e.GetString()!).ToList(),
            root.GetProperty("VoxelSizeNm").EnumerateArray().Select(e => e.GetDouble()).ToList(),
            root.GetProperty("ScaleNm").GetDouble(),
            evaluation.TrainingCropIds,
            lineage,
            evaluation.HeldOutCropIds,
            evaluation.ReportPath,
            evaluation.Reason,
            root.TryGetProperty("ModelSha256", out var sha) ? sha.GetString() ?? string.Empty : string.Empty,
            root.TryGetProperty("CodeVersion", out var trainedBy) ? trainedBy.GetString() ?? "unknown" : "unknown",
            typeof(Promoter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            DateTimeOffset.UtcNow);
        AtomicFile.WriteJson(Path.Combine(staging, ModelCard.FileName), card);
        return staging;
    }
}
