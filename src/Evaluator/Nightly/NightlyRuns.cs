using System.Globalization;
using System.Text;
using HotDistance.Contracts;
using HotDistance.Core.Tracking;

namespace HotDistance.Evaluator.Nightly;

/// <summary>
/// How a nightly re-evaluation appears in the experiment tracker: a top-level run keyed by its night, open while
/// the night runs, holding each model's held-out scores (named as in <see cref="EvaluationRuns"/>), the champion's
/// score against its previous night (<c>champion_overall</c>, <c>baseline_overall</c>, <c>regression</c>) and the
/// summary (<see cref="SummaryFile"/>); a failed night ends FAILED with its reason, and its catch-up reopens the same run.
/// </summary>
public static class NightlyRuns
{
    public const string SummaryFile = "summary.txt";

    /// <summary>The night's run; the night's claim (<see cref="NightlyClaims"/>) serialises finding or creating it.</summary>
    public static TrackedRunSpec Describe(string nightKey, DateTimeOffset scheduledFor) =>
        new($"nightly {nightKey}", PipelineRuns.NightlyKey(nightKey))
        {
            Tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["hd.scheduled_for"] = scheduledFor.ToString("O", CultureInfo.InvariantCulture) },
        };

    /// <summary>Logs a finished night's figures to its run and ends it FINISHED.</summary>
    public static Task RecordAsync(ITrackedRun run, NightlyEvaluationCompleted night, double regressionTolerance)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(night);
        foreach (var (key, value) in Metrics(night))
        {
            run.LogMetric(key, value, 0);
        }

        run.LogMetric("regression_tolerance", regressionTolerance, 0);
        return run.EndAsync(TrackedRunOutcome.Finished, null, [new TrackedArtifact(SummaryFile, () => Encoding.UTF8.GetBytes(night.Summary + "\n"))]);
    }

    /// <summary>The night's numbers as metric names and values; a figure the night did not have (no champion, no baseline) is left out.</summary>
    public static IReadOnlyDictionary<string, double> Metrics(NightlyEvaluationCompleted night)
    {
        ArgumentNullException.ThrowIfNull(night);
        var metrics = EvaluationRuns.ScoreMetrics(night.Scores);
        metrics["held_out_crops"] = night.HeldOutCropIds.Count;
        metrics["regression"] = night.Regression ? 1 : 0;
        metrics["retraining_requested"] = night.RetrainingRequested ? 1 : 0;
        if (night.ChampionOverall is { } champion)
        {
            metrics["champion_overall"] = champion;
        }

        if (night.BaselineOverall is { } baseline)
        {
            metrics["baseline_overall"] = baseline;
        }

        return metrics;
    }
}
