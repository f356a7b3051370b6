using System.Globalization;
using HotDistance.Contracts;
using HotDistance.Core.Tracking;
using HotDistance.Core.Workspace;

namespace HotDistance.Evaluator;

/// <summary>
/// How an evaluation appears in the experiment tracker: a run keyed by its evaluation id, nested under its
/// generation's run, holding every scored model's held-out score per class as metrics (<c>&lt;variant&gt;/&lt;class&gt;</c>
/// and <c>&lt;variant&gt;/overall</c> for challengers, <c>champion/...</c> for the champion), the decision (winner and
/// reason as tags, the rule's settings as parameters, each challenger's difference from the champion with its
/// interval as <c>&lt;variant&gt;/difference</c>, <c>/interval_lower</c>, <c>/interval_upper</c>, <c>/clears_margin</c>),
/// and the report's files (report.html, history.png and the pictures it shows) as artifacts.
/// </summary>
public static class EvaluationRuns
{
    public const string ChampionPrefix = "champion";

    /// <summary>The evaluation's run; the evaluator holds the evaluation's lock, which serialises finding or creating it.</summary>
    public static TrackedRunSpec Describe(WorkspaceLayout workspace, string evaluationId, string generationId, int generationNumber) =>
        new($"{generationId} evaluation", PipelineRuns.EvaluationKey(generationId, evaluationId))
        {
            Parent = PipelineRuns.Generation(workspace, generationId, generationNumber),
            Tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["hd.generation_number"] = generationNumber.ToString(CultureInfo.InvariantCulture) },
        };

    /// <summary>
    /// Records a finished evaluation: its run with the scores and the decision, the report's files from
    /// <paramref name="reportDirectory"/>, then ends its generation's run (the evaluation is a generation's last
    /// tracked work) tagged with the winner. Returns the evaluation run's id, or null when it was not tracked.
    /// </summary>
    public static async Task<string?> RecordAsync(IExperimentTracker tracker, WorkspaceLayout workspace, EvaluationCompleted evaluation, string reportDirectory)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(evaluation);
        var winner = evaluation.Winner?.Variant ?? "none";
        var spec = Describe(workspace, evaluation.EvaluationId, evaluation.GenerationId, evaluation.GenerationNumber);
        var run = tracker.Start(spec with
        {
            Tags = new Dictionary<string, string>(spec.Tags, StringComparer.Ordinal) { ["hd.winner"] = winner, ["hd.decision"] = evaluation.Reason },
            Parameters = Parameters(evaluation),
        });
        foreach (var (key, value) in Metrics(evaluation))
        {
            run.LogMetric(key, value, 0);
        }

        var artifacts = Directory.Exists(reportDirectory)
            ? Directory.EnumerateFiles(reportDirectory)
                .Where(f => !Path.GetFileName(f).StartsWith('.') && Path.GetFileName(f) != WorkspaceLayout.EvaluationResultFile)
                .Order(StringComparer.Ordinal)
                .Select(TrackedArtifact.FromFile)
                .ToList()
            : [];
        var runId = await run.EndAsync(TrackedRunOutcome.Finished, null, artifacts).ConfigureAwait(false);
        var generation = PipelineRuns.Generation(workspace, evaluation.GenerationId, evaluation.GenerationNumber);
        await tracker.Start(generation with { Tags = new Dictionary<string, string>(generation.Tags, StringComparer.Ordinal) { ["hd.winner"] = winner } })
            .EndAsync(TrackedRunOutcome.Finished, null, []).ConfigureAwait(false);
        return runId;
    }

    /// <summary>An evaluation that failed: its run ends FAILED with the reason (its generation's run stays open for the retry).</summary>
    public static Task RecordFailureAsync(IExperimentTracker tracker, WorkspaceLayout workspace, string evaluationId, string generationId, int generationNumber, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(exception);
        return tracker.Start(Describe(workspace, evaluationId, generationId, generationNumber))
            .EndAsync(TrackedRunOutcome.Failed, $"{exception.GetType().Name}: {exception.Message}", []);
    }

    /// <summary>The evaluation's numbers as metric names and values.</summary>
    public static IReadOnlyDictionary<string, double> Metrics(EvaluationCompleted evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var metrics = ScoreMetrics(evaluation.Scores);

        foreach (var comparison in evaluation.Decision?.Comparisons ?? [])
        {
            metrics[$"{comparison.Variant}/difference"] = comparison.Difference;
            metrics[$"{comparison.Variant}/interval_lower"] = comparison.IntervalLower;
            metrics[$"{comparison.Variant}/interval_upper"] = comparison.IntervalUpper;
            metrics[$"{comparison.Variant}/clears_margin"] = comparison.ClearsMargin ? 1 : 0;
        }

        return metrics;
    }

    /// <summary>Each model's held-out scores: <c>&lt;variant&gt;/overall</c> and per class, the champion's under <see cref="ChampionPrefix"/>.</summary>
    public static Dictionary<string, double> ScoreMetrics(IEnumerable<ModelScore> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var score in scores)
        {
            var prefix = score.Role == ModelRoles.Champion ? ChampionPrefix : score.Variant;
            metrics[$"{prefix}/overall"] = score.Overall;
            foreach (var (className, value) in score.PerClass)
            {
                metrics[$"{prefix}/{className}"] = value;
            }
        }

        return metrics;
    }

    private static Dictionary<string, string> Parameters(EvaluationCompleted evaluation)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["held_out_crops"] = Text(evaluation.HeldOutCropIds.Count),
            ["validation_crops"] = Text(evaluation.ValidationCropIds?.Count ?? 0),
            ["champion_variant"] = evaluation.Scores.FirstOrDefault(s => s.Role == ModelRoles.Champion)?.Variant ?? "none",
        };
        if (evaluation.Decision is { } decision)
        {
            parameters["decision_rule"] = decision.Rule;
            parameters["promotion_margin"] = decision.Margin.ToString("R", CultureInfo.InvariantCulture);
            parameters["bootstrap_resamples"] = Text(decision.Resamples);
            parameters["bootstrap_seed"] = Text(decision.Seed);
            parameters["confidence_level"] = decision.ConfidenceLevel.ToString("R", CultureInfo.InvariantCulture);
        }

        return parameters;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
