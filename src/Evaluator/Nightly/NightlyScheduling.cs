using HotDistance.Core.Tracking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;

namespace HotDistance.Evaluator.Nightly;

/// <summary>
/// Registers the nightly schedule in a host: a Quartz scheduler of its own (uniquely named, so several hosts in
/// one process do not meet in Quartz's scheduler registry) with the cron trigger and a run at every start for the
/// catch-up, started and stopped with the host. The cron and time zone come from <see cref="EvaluatorSettings"/>
/// when the scheduler is built. Scorer, event sink and experiment tracker registered before this call win over the defaults.
/// </summary>
public static class NightlyScheduling
{
    public static void AddNightlyEvaluation(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<INightlyModelScorer, HeldOutNightlyScorer>();
        services.TryAddSingleton<IEvaluatorEvents, BusEvaluatorEvents>();
        services.TryAddSingleton<IExperimentTracker>(NoExperimentTracker.Instance);
        services.TryAddSingleton<NightlyRunner>();
        services.AddQuartz($"nightly-{Guid.NewGuid():N}", q =>
        {
            q.AddJob<NightlyEvaluationJob>(j => j.WithIdentity(NightlyEvaluationJob.Key));
            q.AddTrigger<NightlyEvaluationJob>((provider, trigger) =>
            {
                var schedule = provider.GetRequiredService<NightlyRunner>().Schedule;
                trigger
                    .ForJob(NightlyEvaluationJob.Key)
                    .WithIdentity("nightly-cron", "evaluator")
                    .WithCronSchedule(schedule.Cron, cron => cron.InTimeZone(schedule.TimeZone));
            });
            q.RunAtStartup(NightlyEvaluationJob.Key);
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
    }
}
