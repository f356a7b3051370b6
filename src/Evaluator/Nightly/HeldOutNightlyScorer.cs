using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.Registry;
using HotDistance.Core.Workspace;

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
    IModelRegistry registry) : INightlyModelScorer
{
    public async Task<NightlyScores> ScoreAsync(CancellationToken cancellationToken)
    {
        var stored = store.List();
        var heldOut = stored.Where(c => c.Split == CropSplits.HeldOut).ToList();
        var candidates = new List<ScoringCandidate>();
        var champion = await registry.GetByAliasAsync(pipeline.ModelName, RegistryAliases.Champion, cancellationToken).ConfigureAwait(false);
        if (champion is not null)
        {
            var checkpoint = await RegisteredCheckpoints.LocalDirectoryAsync(registry, champion, workspace, cancellationToken).ConfigureAwait(false);
            candidates.Add(new ScoringCandidate(champion.Tags.GetValueOrDefault("variant", "champion"), ModelRoles.Champion, checkpoint));
        }

        var latest = LatestEvaluation();
        if (latest is not null)
        {
            candidates.AddRange(latest.Scores
                .Where(s => s.Role == ModelRoles.Challenger && Directory.Exists(s.CheckpointPath))
                .Select(s => new ScoringCandidate(s.Variant, ModelRoles.Challenger, s.CheckpointPath)));
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

    private EvaluationCompleted? LatestEvaluation() =>
        ScoreHistory.ReadAll(workspace.Evaluations)
            .Where(e => e.Scores.Count > 0)
            .OrderBy(e => e.GenerationNumber)
            .ThenBy(e => e.CompletedAt)
            .LastOrDefault();
}
