using Quartz;

namespace HotDistance.Evaluator.Nightly;

/// <summary>
/// The Quartz job behind the nightly schedule. Fired by the cron trigger it runs that firing; fired by the
/// start-up trigger it catches up a firing missed while the process was down.
/// </summary>
[DisallowConcurrentExecution]
public sealed class NightlyEvaluationJob(NightlyRunner runner) : IJob
{
    public static readonly JobKey Key = new("nightly-evaluation", "evaluator");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Result = context.Trigger.Key.Group == SchedulerConstants.StartupGroup
            ? await runner.CatchUpAsync(cancellationToken).ConfigureAwait(false)
            : await runner.RunScheduledAsync(context.ScheduledFireTimeUtc ?? context.FireTimeUtc, cancellationToken).ConfigureAwait(false);
    }
}
