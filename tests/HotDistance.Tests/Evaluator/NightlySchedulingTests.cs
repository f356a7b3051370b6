using HotDistance.Contracts;
using HotDistance.Core.IO;
using HotDistance.Core.Workspace;
using HotDistance.Evaluator;
using HotDistance.Evaluator.Nightly;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HotDistance.Tests.Evaluator;

/// <summary>The nightly job inside a real host with Quartz: cron firings, the start-up catch-up, two instances.</summary>
public class NightlySchedulingTests
{
    private const string EverySecond = "* * * * * ?";

    [Fact]
    public async Task The_job_fires_on_its_cron_schedule_and_records_each_firing()
    {
        using var temp = new TempDirectory();
        var events = new RecordingEvents();
        using var host = Host(temp.Path, new NightlySettings { Cron = EverySecond, TimeZone = "UTC" }, new ScriptedNightlyScorer(0.7), events);

        await host.StartAsync();
        await events.WaitUntilAsync(m => m.OfType<NightlyEvaluationCompleted>().Count() >= 2);
        await host.StopAsync();

        var nights = events.Of<NightlyEvaluationCompleted>();
        Assert.Equal(nights.Count, nights.Select(n => n.NightKey).Distinct().Count());
        var runner = host.Services.GetRequiredService<NightlyRunner>();
        Assert.All(nights, n => Assert.True(runner.Claims.IsClaimed(n.NightKey)));
        Assert.True(runner.ReadHistory().Count >= 2);
    }

    [Fact]
    public async Task A_firing_missed_while_the_process_was_down_runs_once_when_it_starts()
    {
        using var temp = new TempDirectory();
        var settings = new NightlySettings { Cron = "0 0 2 * * ?", TimeZone = "UTC" };
        var now = DateTimeOffset.UtcNow;
        // The last run was three days ago: at least two 02:00 firings were missed since.
        var lastRun = now.AddDays(-3);
        Directory.CreateDirectory(Path.Combine(temp.Path, "nightly"));
        AtomicFile.WriteJson(Path.Combine(temp.Path, "nightly", NightlyRunner.StateFile), new NightlyState(now.AddDays(-10), lastRun, "old", lastRun));
        var missed = new NightlySchedule(settings.Cron, settings.TimeZone).LastFireBetween(lastRun, now)!.Value;
        var events = new RecordingEvents();
        using var host = Host(temp.Path, settings, new ScriptedNightlyScorer(0.7), events);

        await host.StartAsync();
        await events.WaitUntilAsync(m => m.OfType<NightlyEvaluationCompleted>().Any());
        await host.StopAsync();

        var ran = Assert.Single(events.Of<NightlyEvaluationCompleted>());
        Assert.Equal(missed, ran.ScheduledFor);
        Assert.Equal(missed, host.Services.GetRequiredService<NightlyRunner>().ReadState()!.LastScheduledFor);
    }

    [Fact]
    public async Task Two_evaluator_hosts_on_one_workspace_never_run_the_same_firing_twice()
    {
        using var temp = new TempDirectory();
        var settings = new NightlySettings { Cron = EverySecond, TimeZone = "UTC" };
        var events = new RecordingEvents();
        var scorerA = new ScriptedNightlyScorer(0.7);
        var scorerB = new ScriptedNightlyScorer(0.7);
        using var a = Host(temp.Path, settings, scorerA, events);
        using var b = Host(temp.Path, settings, scorerB, events);

        await Task.WhenAll(a.StartAsync(), b.StartAsync());
        await events.WaitUntilAsync(m => m.OfType<NightlyEvaluationCompleted>().Count() >= 3);
        await Task.WhenAll(a.StopAsync(), b.StopAsync());

        var keys = events.Of<NightlyEvaluationCompleted>().Select(n => n.NightKey).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(keys.Count, scorerA.Calls + scorerB.Calls);
    }

    private static IHost Host(string workspace, NightlySettings nightly, INightlyModelScorer scorer, IEvaluatorEvents events)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(new WorkspaceLayout(workspace));
        builder.Services.AddSingleton(new EvaluatorSettings { Nightly = nightly });
        builder.Services.AddSingleton(scorer);
        builder.Services.AddSingleton(events);
        builder.Services.AddLogging();
        NightlyScheduling.AddNightlyEvaluation(builder.Services);
        return builder.Build();
    }
}
