using HotDistance.Contracts;
using HotDistance.Evaluator;
using HotDistance.Evaluator.Nightly;
using HotDistance.Tests.Pipeline;

namespace HotDistance.Tests.Evaluator;

public class NightlyRunnerTests
{
    private static readonly NightlySettings Daily = new() { Cron = "0 0 2 * * ?", TimeZone = "UTC", RegressionTolerance = 0.02 };

    [Fact]
    public async Task Two_instances_on_one_workspace_run_the_same_night_once()
    {
        using var temp = new TempDirectory();
        var scorer = new ScriptedNightlyScorer(0.7);
        var events = new RecordingEvents();
        var first = Nightly.Runner(temp.Path, Daily, scorer, events);
        var second = Nightly.Runner(temp.Path, Daily, scorer, events);
        var night = new DateTimeOffset(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);

        var outcomes = await Task.WhenAll(
            Task.Run(() => first.RunScheduledAsync(night, CancellationToken.None)),
            Task.Run(() => second.RunScheduledAsync(night, CancellationToken.None)));

        Assert.Equal([NightlyOutcome.Ran, NightlyOutcome.AlreadyClaimed], outcomes.Order());
        Assert.Equal(1, scorer.Calls);
        Assert.Equal("2026-11-25T020000", Assert.Single(events.Of<NightlyEvaluationCompleted>()).NightKey);
        Assert.True(first.Claims.IsClaimed("2026-11-25T020000"));
        // The next night is a new claim.
        Assert.Equal(NightlyOutcome.Ran, await second.RunScheduledAsync(night.AddDays(1), CancellationToken.None));
        Assert.Equal(2, first.ReadHistory().Count);
    }

    [Fact]
    public async Task A_drop_beyond_the_tolerance_is_a_regression_that_asks_for_retraining_and_the_trend_is_recorded()
    {
        using var temp = new TempDirectory();
        var events = new RecordingEvents();
        var runner = Nightly.Runner(temp.Path, Daily, new ScriptedNightlyScorer(0.80, 0.70, 0.69), events);
        var night = new DateTimeOffset(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);

        for (var n = 0; n < 3; n++)
        {
            await runner.RunScheduledAsync(night.AddDays(n), CancellationToken.None);
        }

        var nights = events.Of<NightlyEvaluationCompleted>();
        Assert.Equal([false, true, false], nights.Select(e => e.Regression));
        Assert.Equal([null, 0.80, 0.70], nights.Select(e => e.BaselineOverall));
        var request = Assert.Single(events.Of<RetrainingRequested>());
        Assert.Equal("nightly-2026-11-21T020000", request.RequestId);
        Assert.Contains("REGRESSION", nights[1].Summary, StringComparison.Ordinal);

        var history = runner.ReadHistory();
        Assert.Equal([0.80, 0.70, 0.69], history.Select(r => r.ChampionOverall));
        Assert.Equal([false, true, false], history.Select(r => r.RetrainingRequested));
        Assert.Equal(night.AddDays(2), runner.ReadState()!.LastScheduledFor);
    }

    [Fact]
    public async Task A_night_missed_while_down_runs_once_at_the_next_start_and_only_then()
    {
        using var temp = new TempDirectory();
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
        var scorer = new ScriptedNightlyScorer(0.7);
        var events = new RecordingEvents();
        var runner = Nightly.Runner(temp.Path, Daily, scorer, events, clock);

        // First start ever: nothing to catch up, but from now on the schedule is watched.
        Assert.Equal(NightlyOutcome.NothingMissed, await runner.CatchUpAsync(CancellationToken.None));
        // Down for three nights (21st, 22nd, 23rd at 02:00), back on the 23rd at 09:00.
        clock.Advance(TimeSpan.FromDays(2.875));
        var restarted = Nightly.Runner(temp.Path, Daily, scorer, events, clock);

        Assert.Equal(NightlyOutcome.Ran, await restarted.CatchUpAsync(CancellationToken.None));
        Assert.Equal(NightlyOutcome.NothingMissed, await restarted.CatchUpAsync(CancellationToken.None));

        var ran = Assert.Single(events.Of<NightlyEvaluationCompleted>());
        Assert.Equal("2026-11-23T020000", ran.NightKey);
        Assert.Equal(1, scorer.Calls);
    }

    [Fact]
    public async Task A_failed_night_gives_its_claim_back_so_it_can_be_caught_up()
    {
        using var temp = new TempDirectory();
        var runner = Nightly.Runner(temp.Path, Daily, new FailingNightlyScorer(), new RecordingEvents());
        var night = new DateTimeOffset(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);

        await Assert.ThrowsAsync<IOException>(() => runner.RunScheduledAsync(night, CancellationToken.None));

        Assert.False(runner.Claims.IsClaimed(runner.Schedule.Key(night)));
    }

    [Fact]
    public async Task A_night_is_skipped_while_another_instance_runs_it_and_run_again_when_that_run_dies()
    {
        using var temp = new TempDirectory();
        var stuck = new StuckScorer();
        var events = new RecordingEvents();
        var dying = Nightly.Runner(temp.Path, Daily, stuck, events);
        var other = Nightly.Runner(temp.Path, Daily, new ScriptedNightlyScorer(0.7), events);
        var night = new DateTimeOffset(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);
        using var killed = new CancellationTokenSource();

        var running = dying.RunScheduledAsync(night, killed.Token);
        await stuck.Started.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(NightlyOutcome.AlreadyClaimed, await other.RunScheduledAsync(night, CancellationToken.None));

        // The first instance goes away mid-run (here: cancelled; a killed process also drops its lock).
        await killed.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.False(other.Claims.IsClaimed(other.Schedule.Key(night)));

        Assert.Equal(NightlyOutcome.Ran, await other.RunScheduledAsync(night, CancellationToken.None));
        Assert.True(other.Claims.IsClaimed(other.Schedule.Key(night)));
        Assert.Single(events.Of<NightlyEvaluationCompleted>());
    }

    [Fact]
    public void The_schedule_finds_the_latest_missed_firing_and_rejects_a_bad_cron_by_name()
    {
        var schedule = new NightlySchedule("0 0 2 * * ?", "UTC");
        var since = new DateTimeOffset(2026, 11, 20, 3, 0, 0, TimeSpan.Zero);

        Assert.Null(schedule.LastFireBetween(since, since.AddHours(22)));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 2, 0, 0, TimeSpan.Zero), schedule.LastFireBetween(since, since.AddDays(2)));
        var error = Assert.Throws<ArgumentException>(() => new NightlySchedule("every night", null));
        Assert.Contains("every night", error.Message, StringComparison.Ordinal);
    }
}
