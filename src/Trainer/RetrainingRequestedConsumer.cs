using HotDistance.Contracts;
using MassTransit;

namespace HotDistance.Trainer;

/// <summary>Hands retraining requests (from the nightly evaluation) to the generation planner.</summary>
public sealed class RetrainingRequestedConsumer(GenerationPlanner planner) : IConsumer<RetrainingRequested>
{
    public Task Consume(ConsumeContext<RetrainingRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return planner.RequestRetrainingAsync(context.Message, context.CancellationToken);
    }
}
