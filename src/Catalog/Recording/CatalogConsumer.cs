using HotDistance.Contracts;
using MassTransit;

namespace HotDistance.Catalog.Recording;

/// <summary>
/// Records every pipeline event in the catalog. Its queue ("catalog") is shared by all hosts, so each event is
/// recorded once by whichever host takes it; the upserts make a redelivery or a replay change nothing.
/// </summary>
public sealed class CatalogConsumer(IPipelineCatalog catalog) :
    IConsumer<CropIngested>,
    IConsumer<CropRejected>,
    IConsumer<TrainingRequested>,
    IConsumer<TrainingProgressed>,
    IConsumer<TrainingRetrying>,
    IConsumer<GenerationStalled>,
    IConsumer<ModelTrained>,
    IConsumer<Fault<TrainingRequested>>,
    IConsumer<EvaluationCompleted>,
    IConsumer<ModelPromoted>,
    IConsumer<PromotionDeclined>,
    IConsumer<MessageRefused>,
    IConsumer<ChampionRolledBack>,
    IConsumer<NightlyEvaluationCompleted>,
    IConsumer<SiteReported>
{
    public Task Consume(ConsumeContext<CropIngested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return catalog.RecordAsync(context.Message, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<CropRejected> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return catalog.RecordAsync(context.Message, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<TrainingRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return catalog.RecordAsync(context.Message, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<TrainingProgressed> context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // The send time travels with the message, so a redelivered report records the same time as the first.
        var sentAt = context.SentTime is { } sent ? new DateTimeOffset(DateTime.SpecifyKind(sent, DateTimeKind.Utc)) : DateTimeOffset.UtcNow;
        return catalog.RecordAsync(context.Message, sentAt, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<TrainingRetrying> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return catalog.RecordAsync(context.Message, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<GenerationStalled> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return catalog.RecordAsync(context.Message, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<ModelTrained> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return catalog.RecordAsync(context.Message, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<Fault<TrainingRequested>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var fault = context.Message;
        var reason = fault.Exceptions.FirstOrDefault() is { } first ? $"{first.ExceptionType}: {first.Message}" : "the trainer gave up";
        var failedAt = new DateTimeOffset(DateTime.SpecifyKind(fault.Timestamp, DateTimeKind.Utc));
        return catalog.RecordFailureAsync(fault.Message, reason, failedAt, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<EvaluationCompleted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return catalog.RecordAsync(context.Message, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<ModelPromoted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return catalog.RecordAsync(context.Message, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<PromotionDeclined> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return catalog.RecordAsync(context.Message, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<MessageRefused> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return catalog.RecordAsync(context.Message, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<ChampionRolledBack> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return catalog.RecordAsync(context.Message, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<NightlyEvaluationCompleted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return catalog.RecordAsync(context.Message, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<SiteReported> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return catalog.RecordAsync(context.Message, context.CancellationToken);
    }
}
