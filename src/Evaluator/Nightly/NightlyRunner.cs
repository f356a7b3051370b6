using System.Globalization;
using HotDistance.Contracts;
using HotDistance.Core.IO;
using HotDistance.Core.Tracking;
using HotDistance.Core.Workspace;
using Microsoft.Extensions.Logging;

namespace HotDistance.Evaluator.Nightly;

/// <summary>
/// The nightly re-evaluation: scores the champion and the latest challengers on the whole held-out set, appends
/// the night to nightly/history.json, compares the champion with its previous night, and on a regression beyond
/// the tolerance logs a warning and (if configured) asks for retraining. A night runs at most once across every
/// evaluator sharing the workspace (<see cref="NightlyClaims"/>); at start-up, the newest firing missed while no
/// evaluator was running is run once (<see cref="CatchUpAsync"/>). Each night is a run in the experiment tracker
/// (<see cref="NightlyRuns"/>).
/// </summary>
public sealed class NightlyRunner(
    WorkspaceLayout workspace,
    EvaluatorSettings settings,
    INightlyModelScorer scorer,
    IEvaluatorEvents events,
    IExperimentTracker tracker,
    TimeProvider clock,
    ILogger<NightlyRunner> logger)
{
    public const string HistoryFile = "history.json";
    public const string StateFile = "state.json";

    private readonly NightlySettings nightly = settings.Nightly;
    private readonly string owner = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}");

    public string Directory => Path.Combine(workspace.Root, "nightly");

    public NightlySchedule Schedule { get; } = new(settings.Nightly.Cron, settings.Nightly.TimeZone);

    public NightlyClaims Claims => new(Path.Combine(Directory, "claims"));

    /// <summary>Runs the firing scheduled for <paramref name="scheduledUtc"/> unless some run already claimed it.</summary>
    public async Task<NightlyOutcome> RunScheduledAsync(DateTimeOffset scheduledUtc, CancellationToken cancellationToken)
    {
        if (!nightly.Enabled)
        {
            return NightlyOutcome.Disabled;
        }

        var key = Schedule.Key(scheduledUtc);
        using var claim = Claims.TryClaim(key, owner, clock.GetUtcNow());
        if (claim is null)
        {
            logger.LogInformation("nightly {NightKey}: already run or running elsewhere; skipping", key);
            return NightlyOutcome.AlreadyClaimed;
        }

        // A failure (or a killed process) leaves the night unmarked, so a restart catches it up instead of losing it.
        await EvaluateAsync(key, scheduledUtc, cancellationToken).ConfigureAwait(false);
        claim.Complete();
        return NightlyOutcome.Ran;
    }

    /// <summary>
    /// At start-up: runs the newest firing that fell between the last run (or the first start) and now, if any.
    /// The first start ever only records that the schedule is now being watched.
    /// </summary>
    public async Task<NightlyOutcome> CatchUpAsync(CancellationToken cancellationToken)
    {
        if (!nightly.Enabled || !nightly.CatchUpOnStart)
        {
            return NightlyOutcome.Disabled;
        }

        var now = clock.GetUtcNow();
        NightlyState state;
        using (await DirectoryLock.AcquireAsync(Directory, cancellationToken).ConfigureAwait(false))
        {
            state = ReadState() ?? new NightlyState(now, null, null, null);
            AtomicFile.WriteJson(StatePath, state);
        }

        var since = state.LastScheduledFor is { } last && last > state.WatchingSince ? last : state.WatchingSince;
        if (Schedule.LastFireBetween(since, now) is not { } missed)
        {
            return NightlyOutcome.NothingMissed;
        }

        logger.LogInformation("nightly {NightKey}: missed while no evaluator was running; running it now", Schedule.Key(missed));
        return await RunScheduledAsync(missed, cancellationToken).ConfigureAwait(false);
    }

    public IReadOnlyList<NightlyRecord> ReadHistory() =>
        File.Exists(HistoryPath) ? AtomicFile.ReadJson<List<NightlyRecord>>(HistoryPath) ?? [] : [];

    public NightlyState? ReadState() => File.Exists(StatePath) ? AtomicFile.ReadJson<NightlyState>(StatePath) : null;

    private string HistoryPath => Path.Combine(Directory, HistoryFile);

    private string StatePath => Path.Combine(Directory, StateFile);

    private async Task EvaluateAsync(string key, DateTimeOffset scheduledUtc, CancellationToken cancellationToken)
    {
        var run = tracker.Start(NightlyRuns.Describe(key, scheduledUtc));
        NightlyEvaluationCompleted night;
        try
        {
            night = await ScoreNightAsync(key, scheduledUtc, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            var stopped = exception is OperationCanceledException;
            await run.EndAsync(
                stopped ? TrackedRunOutcome.Killed : TrackedRunOutcome.Failed,
                stopped ? "stopped before it finished; the next start catches the night up" : $"{exception.GetType().Name}: {exception.Message}",
                []).ConfigureAwait(false);
            throw;
        }

        await NightlyRuns.RecordAsync(run, night, nightly.RegressionTolerance).ConfigureAwait(false);
        await events.PublishAsync(night, cancellationToken).ConfigureAwait(false);
        if (night.RetrainingRequested)
        {
            await events.PublishAsync(new RetrainingRequested($"nightly-{key}", night.Summary, "evaluator/nightly", night.CompletedAt), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Scores the night and records it in the history; returns the night's event, published by the caller.</summary>
    private async Task<NightlyEvaluationCompleted> ScoreNightAsync(string key, DateTimeOffset scheduledUtc, CancellationToken cancellationToken)
    {
        logger.LogInformation("nightly {NightKey}: re-evaluating the champion and the latest challengers on every held-out crop", key);
        var result = await scorer.ScoreAsync(cancellationToken).ConfigureAwait(false);
        var champion = result.Scores.FirstOrDefault(s => s.Role == ModelRoles.Champion);

        using var gate = await DirectoryLock.AcquireAsync(Directory, cancellationToken).ConfigureAwait(false);
        var history = ReadHistory().ToList();
        var baseline = champion is null
            ? null
            : history.Where(r => r.ScheduledFor < scheduledUtc)
                .OrderBy(r => r.ScheduledFor)
                .Select(r => r.Scores.FirstOrDefault(s => s.Role == ModelRoles.Champion && s.Checkpoint == champion.Checkpoint))
                .LastOrDefault(s => s is not null)?.Overall;
        var regression = champion is not null && baseline is { } previous && previous - champion.Overall > nightly.RegressionTolerance;
        var retrain = regression && nightly.RequestRetrainingOnRegression;
        var summary = Summarise(key, result, champion, baseline, regression, retrain);
        var now = clock.GetUtcNow();

        history.Add(new NightlyRecord(key, scheduledUtc, now, result.HeldOutCropIds.Count, result.Scores.Select(NightlyModelScore.From).ToList(), champion?.Overall, baseline, regression, retrain));
        AtomicFile.WriteJson(HistoryPath, history.OrderBy(r => r.ScheduledFor).ToList());
        var state = ReadState() ?? new NightlyState(now, null, null, null);
        if (state.LastScheduledFor is not { } last || scheduledUtc > last)
        {
            state = state with { LastScheduledFor = scheduledUtc, LastNightKey = key };
        }

        AtomicFile.WriteJson(StatePath, state with { LastCompletedAt = now });

        if (regression)
        {
            logger.LogWarning("{Summary}", summary);
        }
        else
        {
            logger.LogInformation("{Summary}", summary);
        }

        return new NightlyEvaluationCompleted(key, scheduledUtc, result.Scores, result.HeldOutCropIds, champion?.Overall, baseline, regression, retrain, summary, now);
    }

    private string Summarise(string key, NightlyScores result, ModelScore? champion, double? baseline, bool regression, bool retrain)
    {
        var scores = string.Join(", ", result.Scores.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Variant} ({s.Role}) {s.Overall:F3}")));
        var verdict = (champion, baseline) switch
        {
            (null, _) => "no champion yet",
            (_, null) => "first night for this champion, nothing to compare with",
            _ when regression => string.Create(CultureInfo.InvariantCulture, $"REGRESSION: champion fell from {baseline:F3} to {champion.Overall:F3}, more than the tolerance {nightly.RegressionTolerance:F3}{(retrain ? "; retraining requested" : string.Empty)}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"champion {champion.Overall:F3} against {baseline:F3} the night before: within the tolerance {nightly.RegressionTolerance:F3}"),
        };
        return string.Create(CultureInfo.InvariantCulture, $"nightly {key}: {result.HeldOutCropIds.Count} held-out crops; {(scores.Length == 0 ? "no model to score" : scores)}; {verdict}");
    }
}
