using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.Registry;
using HotDistance.Core.Security;
using HotDistance.Core.Workspace;
using HotDistance.Learning.Checkpoints;
using Microsoft.Extensions.Logging;

namespace HotDistance.Evaluator.Nightly;

/// <summary>
/// The nightly scoring pass: the registry's champion and the challengers of the newest evaluated generation,
/// on every held-out crop the store holds tonight (which grows as crops arrive, unlike each generation's own
/// evaluation). Thresholds are tuned again on the validation crops that generation's evaluation used.
/// </summary>
public sealed class HeldOutNightlyScorer(
    WorkspaceLayout workspace,
    PipelineSettings pipeline,
    EvaluatorSettings settings,
    CropStore store,
    IModelRegistry registry,
    ILogger<HeldOutNightlyScorer> logger) : INightlyModelScorer
{
    public async Task<NightlyScores> ScoreAsync(CancellationToken cancellationToken)
    {
        var stored = store.List();
        var heldOut = stored.Where(c => c.Split == CropSplits.HeldOut).ToList();
        var candidates = new List<ScoringCandidate>();
        if (await RegisteredCheckpoints.ChampionAsync(registry, pipeline.ModelName, workspace, cancellationToken).ConfigureAwait(false) is { } champion)
        {
            candidates.Add(champion);
        }

        var latest = LatestEvaluation();
        foreach (var challenger in latest?.Scores.Where(s => s.Role == ModelRoles.Challenger) ?? [])
        {
            if (Challenger(challenger) is { } candidate)
            {
                candidates.Add(candidate);
            }
        }

        if (heldOut.Count == 0 || candidates.Count == 0)
        {
            return new NightlyScores([], heldOut.Select(c => c.CropId).ToList());
        }

        var validationIds = (latest?.ValidationCropIds ?? []).ToHashSet(StringComparer.Ordinal);
        var validation = stored.Where(c => c.Split == CropSplits.Train && validationIds.Contains(c.CropId)).Select(c => store.Load(c.CropId)).ToList();
        var crops = heldOut.Select(c => store.Load(c.CropId)).ToList();
        var scored = await ModelScorer.ScoreOnDedicatedThreadAsync(candidates, crops, pipeline, 0, cancellationToken, validation, settings).ConfigureAwait(false);
        return new NightlyScores(scored.Select(s => s.Score).ToList(), heldOut.Select(c => c.CropId).ToList());
    }

    /// <summary>A challenger of the latest evaluation, when its checkpoint is still there as it was scored.</summary>
    private ScoringCandidate? Challenger(ModelScore score)
    {
        try
        {
            var (directory, _) = TrainedCheckpoints.Resolve(workspace, score.Checkpoint, score.ModelSha256);
            return new ScoringCandidate(score.Variant, ModelRoles.Challenger, score.Checkpoint, directory, score.ModelSha256);
        }
        catch (Exception exception) when (exception is DirectoryNotFoundException or UntrustedInputException)
        {
            logger.LogWarning("Nightly: the {Variant} challenger is not scored tonight: {Reason}", score.Variant, exception.Message);
            return null;
        }
    }

    private EvaluationCompleted? LatestEvaluation() =>
        ScoreHistory.ReadAll(workspace.Evaluations)
            .Where(e => e.Scores.Count > 0)
            .OrderBy(e => e.GenerationNumber)
            .ThenBy(e => e.CompletedAt)
            .LastOrDefault();
}
