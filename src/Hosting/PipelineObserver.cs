using HotDistance.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Hosting;

/// <summary>Listens to the pipeline's events and records them in <see cref="PipelineEvents"/>.</summary>
public sealed class PipelineObserver(PipelineEvents events) :
    IConsumer<CropIngested>,
    IConsumer<TrainingProgressed>,
    IConsumer<ModelTrained>,
    IConsumer<EvaluationCompleted>,
    IConsumer<ModelPromoted>,
    IConsumer<PromotionDeclined>,
    IConsumer<Fault<TrainingRequested>>,
    IConsumer<Fault<ModelTrained>>,
    IConsumer<Fault<EvaluationCompleted>>
{
    public Task Consume(ConsumeContext<CropIngested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        events.Ingested.Enqueue(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<TrainingProgressed> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        events.LatestProgress[context.Message.Variant] = context.Message;
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ModelTrained> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        events.Trained[$"{context.Message.GenerationId}/{context.Message.Variant}"] = context.Message;
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<EvaluationCompleted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        events.OnEvaluation(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ModelPromoted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        events.Promotions.Enqueue(context.Message);
        events.OnOutcome(context.Message.GenerationId, context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<PromotionDeclined> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        events.OnOutcome(context.Message.GenerationId, context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<Fault<TrainingRequested>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Message.Message;
        events.OnFailure(request.GenerationId, $"train {request.Variant}", Reason(context.Message));
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<Fault<ModelTrained>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        events.OnFailure(context.Message.Message.GenerationId, "evaluate", Reason(context.Message));
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<Fault<EvaluationCompleted>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        events.OnFailure(context.Message.Message.GenerationId, "promote", Reason(context.Message));
        return Task.CompletedTask;
    }

    /// <summary>Registers an observer on its own temporary endpoint, so several observers each see every event.</summary>
    public static void Register(IServiceCollection services, IBusRegistrationConfigurator bus, PipelineEvents events)
    {
        ArgumentNullException.ThrowIfNull(bus);
        services.AddSingleton(events);
        bus.AddConsumer<PipelineObserver>().Endpoint(e =>
        {
            e.Name = $"observer-{Guid.NewGuid():N}";
            e.Temporary = true;
        });
    }

    private static string Reason(Fault fault) =>
        fault.Exceptions.FirstOrDefault() is { } first ? first.Message : "the consumer gave up without an exception";
}
