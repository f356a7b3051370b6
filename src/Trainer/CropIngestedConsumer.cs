using HotDistance.Contracts;
using MassTransit;

namespace HotDistance.Trainer;

/// <summary>Feeds new training crops to the generation planner (idempotent by content hash).</summary>
public sealed class CropIngestedConsumer(GenerationPlanner planner) : IConsumer<CropIngested>
{
    public Task Consume(ConsumeContext<CropIngested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return planner.AddCropAsync(context.Message, context.CancellationToken);
    }
}
