using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.IO;
using HotDistance.Core.Registry;
using HotDistance.Core.Telemetry;
using HotDistance.Core.Tracking;
using HotDistance.Core.Workspace;
using HotDistance.Learning.Checkpoints;
using Microsoft.Extensions.Logging;

namespace HotDistance.Evaluator;

/// <summary>
/// Scores a generation's challengers and the current champion on the same held-out crops, decides, and writes
/// evaluation.json with an HTML report beside it. Runs once per evaluation id: the result is stored under the
/// evaluation's directory lock and returned as-is to anyone who asks again. Each evaluation is a tracked run
/// (<see cref="EvaluationRuns"/>), recorded before the result is stored.
/// </summary>
public sealed class GenerationEvaluator(
    WorkspaceLayout workspace,
    PipelineSettings pipeline,
    EvaluatorSettings settings,
    CropStore store,
    IModelRegistry registry,
    IExperimentTracker tracker,
    ILogger<GenerationEvaluator> logger)
{
    public async Task<EvaluationCompleted> EvaluateGenerationAsync(
        string generationId,
        int generationNumber,
        IReadOnlyList<ModelTrained> challengers,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(challengers);
        var directory = workspace.Evaluation(generationId);
        using var gate = await DirectoryLock.AcquireAsync(directory, cancellationToken).ConfigureAwait(false);
        var resultPath = workspace.EvaluationResult(generationId);
        if (File.Exists(resultPath))
        {
            return AtomicFile.ReadJson<EvaluationCompleted>(resultPath)!;
        }

        EvaluationCompleted completed;
        try
        {
            completed = await ScoreAndDecideAsync(generationId, generationNumber, challengers, directory, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await EvaluationRuns.RecordFailureAsync(tracker, workspace, generationId, generationId, generationNumber, exception).ConfigureAwait(false);
            throw;
        }

        // Tracked before the result is stored: a crash in between evaluates again, and finds the same run by its key.
        await EvaluationRuns.RecordAsync(tracker, workspace, completed, directory).ConfigureAwait(false);
        AtomicFile.WriteJson(resultPath, completed);
        logger.LogInformation("{GenerationId}: {Reason}", generationId, completed.Reason);
        return completed;
    }

    /// <summary>Scores the challengers and the champion, decides, and writes the report into <paramref name="directory"/>.</summary>
    private async Task<EvaluationCompleted> ScoreAndDecideAsync(
        string generationId,
        int generationNumber,
        IReadOnlyList<ModelTrained> challengers,
        string directory,
        CancellationToken cancellationToken)
    {
        using var span = PipelineTelemetry.Traces.StartActivity($"evaluate {generationId}");
        span?.SetTag("hd.generation", generationId);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stored = store.List();
        var heldOut = stored.Where(c => c.Split == CropSplits.HeldOut).ToList();
        var trainingCropIds = challengers.SelectMany(c => c.TrainingCropIds).Distinct().ToList();
        if (heldOut.Count == 0)
        {
            var nothing = new EvaluationCompleted(
                generationId, generationId, generationNumber, [], null,
                "no held-out crops yet: ingest at least one crop with --split heldout (or enough crops for automatic held-out assignment)",
                [], trainingCropIds, string.Empty, DateTimeOffset.UtcNow);
            return nothing;
        }

        // Each challenger is checked again as it is scored: its folder may have changed since it arrived.
        var candidates = challengers
            .OrderBy(c => c.Variant, StringComparer.Ordinal)
            .Select(c => new ScoringCandidate(
                c.Variant, ModelRoles.Challenger, c.Checkpoint, TrainedCheckpoints.Resolve(workspace, c.Checkpoint, c.CheckpointSha256).Directory, c.CheckpointSha256, c.TrackingRunId))
            .ToList();
        if (await RegisteredCheckpoints.ChampionAsync(registry, pipeline.ModelName, workspace, cancellationToken).ConfigureAwait(false) is { } champion)
        {
            candidates.Add(champion);
        }

        var validation = ValidationCrops.Select(stored, trainingCropIds, settings.ValidationFraction, settings.MaxValidationCrops);
        logger.LogInformation(
            "{GenerationId}: scoring {Models} models on {Crops} held-out crops, thresholds tuned on {Validation} training crops",
            generationId, candidates.Count, heldOut.Count, validation.Count);
        var crops = heldOut.Select(c => store.Load(c.CropId)).ToList();
        var validationCrops = validation.Select(c => store.Load(c.CropId)).ToList();
        var scored = await ModelScorer.ScoreOnDedicatedThreadAsync(
            candidates, crops, pipeline, EvaluationReport.ExampleCrops, cancellationToken, validationCrops, settings).ConfigureAwait(false);
        var examples = crops.Take(EvaluationReport.ExampleCrops).Select((crop, i) => CropSlice.Middle(heldOut[i].CropId, crop)).ToList();

        var challengerScores = scored.Where(s => s.Score.Role == ModelRoles.Challenger).ToList();
        var championScore = scored.FirstOrDefault(s => s.Score.Role == ModelRoles.Champion);
        var (winner, reason, decision) = ChallengerDecision.Decide(challengerScores, championScore, settings);
        // Relative to the workspace, which each host mounts where it likes.
        var reportPath = Path.GetRelativePath(workspace.Root, Path.Combine(directory, EvaluationReport.ReportFile)).Replace('\\', '/');
        var completed = new EvaluationCompleted(
            generationId,
            generationId,
            generationNumber,
            scored.Select(s => s.Score).ToList(),
            winner,
            reason,
            heldOut.Select(c => c.CropId).ToList(),
            trainingCropIds,
            reportPath,
            DateTimeOffset.UtcNow,
            decision,
            validation.Select(c => c.CropId).ToList());
        var history = ScoreHistory.Collect(workspace.Evaluations, completed);
        EvaluationReport.Write(directory, generationId, scored, winner, reason, heldOut, examples, decision, history);
        PipelineTelemetry.EvaluationSeconds.Record(clock.Elapsed.TotalSeconds);
        span?.SetTag("hd.winner", winner?.Variant).SetTag("hd.held_out_crops", heldOut.Count);
        return completed;
    }
}
