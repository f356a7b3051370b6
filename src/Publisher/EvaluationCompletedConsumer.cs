using HotDistance.Contracts;
using HotDistance.Messaging;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace HotDistance.Publisher;

/// <summary>
/// Promotes (or records the refusal of) each evaluation's winner and tells the inference sites. A promotion that gave
/// up after its retries (the registry down) is announced as stalled; the evaluator's sweep offers it again.
/// </summary>
public sealed class EvaluationCompletedConsumer(Promoter promoter, ILogger<EvaluationCompletedConsumer> logger) : IConsumer<EvaluationCompleted>
{
    public async Task Consume(ConsumeContext<EvaluationCompleted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await PromoteAsync(context).ConfigureAwait(false);
        }
        catch (Exception exception) when (PipelineEndpoint.GaveUpOnPassingFailure(context, exception))
        {
            await AttemptReports.ReportStalledAsync(context, context.Message.GenerationId, GenerationStages.Promotion, exception, logger).ConfigureAwait(false);
            throw;
        }
    }

    private async Task PromoteAsync(ConsumeContext<EvaluationCompleted> context)
    {
        var (promoted, declined) = await promoter.PromoteAsync(context.Message, context.CancellationToken).ConfigureAwait(false);
        if (promoted is not null)
        {
            await context.Publish(promoted, context.CancellationToken).ConfigureAwait(false);
        }

        if (declined is not null)
        {
            await context.Publish(declined, context.CancellationToken).ConfigureAwait(false);
        }
    }
}
