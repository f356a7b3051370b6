using HotDistance.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace HotDistance.Messaging;

/// <summary>
/// Publishes what became of a failed attempt (retrying, stalled) for the catalog and the people on call. Best effort:
/// the report must never replace the failure it reports, so a publish that fails is logged and the caller rethrows
/// the original exception.
/// </summary>
public static class AttemptReports
{
    /// <summary>
    /// Says that a generation's <paramref name="stage"/> (<see cref="GenerationStages"/>) gave up on a failure that may
    /// pass, and publishes <see cref="GenerationStalled"/>, so hd status shows the generation waiting for the sweep.
    /// </summary>
    public static Task ReportStalledAsync(ConsumeContext context, string generationId, string stage, Exception exception, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(logger);
        logger.LogError(
            "{GenerationId}: {Stage} gave up after {Attempts} attempts; the evaluator's sweep takes it up again: {Reason}",
            generationId, stage, PipelineEndpoint.Attempts, exception.Message);
        return PublishAsync(context, new GenerationStalled(generationId, stage, $"{exception.GetType().Name}: {exception.Message}", DateTimeOffset.UtcNow), logger);
    }

    public static async Task PublishAsync<T>(ConsumeContext context, T report, ILogger logger)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(logger);
        try
        {
            await context.Publish(report, context.CancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The failure being reported is what the caller rethrows; this one is only logged.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            logger.LogWarning("could not publish {Report}: {Reason}", typeof(T).Name, exception.Message);
        }
    }
}
