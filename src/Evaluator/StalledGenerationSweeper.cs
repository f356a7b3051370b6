using HotDistance.Contracts;
using HotDistance.Core.IO;
using HotDistance.Core.Workspace;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDistance.Evaluator;

/// <summary>
/// Takes up generations whose evaluation or promotion gave up after its retries (the registry down longer than the
/// retry budget, a shared mount away): every <see cref="EvaluatorSettings.SweepInterval"/>, a generation whose
/// variants have all arrived but that has no evaluation is evaluated again, and one evaluated but without a
/// promotion decision has its result announced again. Only work that has stood still for a whole interval counts,
/// so work in progress is left alone; both steps are idempotent anyway (the evaluation by its stored result, the
/// publisher by its record).
/// </summary>
public sealed class StalledGenerationSweeper(
    WorkspaceLayout workspace,
    EvaluatorSettings settings,
    GenerationEvaluator evaluator,
    IBus bus,
    ILogger<StalledGenerationSweeper> logger) : BackgroundService
{
    /// <summary>One look over the evaluations folder; returns how many generations were taken up again.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(workspace.Evaluations))
        {
            return 0;
        }

        var stillSince = DateTime.UtcNow - settings.SweepInterval;
        var taken = 0;
        foreach (var generationId in Directory.EnumerateDirectories(workspace.Evaluations).Select(Path.GetFileName).OfType<string>().Where(Identifiers.IsValid))
        {
            var result = workspace.EvaluationResult(generationId);
            if (File.Exists(result))
            {
                if (File.Exists(workspace.PromotionRecord(generationId)) || File.GetLastWriteTimeUtc(result) > stillSince)
                {
                    continue;
                }

                logger.LogWarning("{GenerationId}: evaluated, but no promotion decision since {Since:u}; announcing the evaluation again", generationId, File.GetLastWriteTimeUtc(result));
                await bus.Publish(AtomicFile.ReadJson<EvaluationCompleted>(result)!, cancellationToken).ConfigureAwait(false);
                taken++;
                continue;
            }

            var arrivals = TrainedArrivals.All(workspace, generationId);
            if (arrivals.Count == 0 || arrivals.Any(a => a.TrainedAt.UtcDateTime > stillSince))
            {
                continue;
            }

            var present = TrainedArrivals.Present(workspace, generationId, arrivals[0].Variants);
            if (present.Count < arrivals[0].Variants.Count)
            {
                continue;
            }

            logger.LogWarning("{GenerationId}: all variants trained, but no evaluation; evaluating again", generationId);
            var completed = await evaluator.EvaluateGenerationAsync(generationId, arrivals[0].GenerationNumber, present, cancellationToken).ConfigureAwait(false);
            await bus.Publish(completed, cancellationToken).ConfigureAwait(false);
            taken++;
        }

        return taken;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.SweepInterval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.SweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await SweepOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Whatever stopped the work the first time may still be there: the next sweep tries again.
                logger.LogWarning("the sweep for stalled generations failed, trying again in {Interval}: {Reason}", settings.SweepInterval, exception.Message);
            }
        }
    }
}
