using HotDistance.Contracts;
using MassTransit;

namespace HotDistance.Publisher;

/// <summary>Promotes (or records the refusal of) each evaluation's winner and tells the inference sites.</summary>
public sealed class EvaluationCompletedConsumer(Promoter promoter) : IConsumer<EvaluationCompleted>
{
    public async Task Consume(ConsumeContext<EvaluationCompleted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
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
