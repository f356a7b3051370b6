using HotDistance.Contracts;
using HotDistance.Evaluator.Nightly;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Evaluator;

/// <summary>Wires the evaluator role into a host.</summary>
public static class EvaluatorRole
{
    public const string Name = "evaluator";

    /// <summary>The events this role publishes, besides faults and refusals (the broker lets it publish no others).</summary>
    public static IReadOnlyList<Type> Publishes { get; } = [typeof(EvaluationCompleted), typeof(NightlyEvaluationCompleted), typeof(RetrainingRequested), typeof(GenerationStalled)];

    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton<GenerationEvaluator>();
        services.AddHostedService<StalledGenerationSweeper>();
        NightlyScheduling.AddNightlyEvaluation(services);
    }

    public static void AddConsumers(IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<ModelTrainedConsumer, ModelTrainedConsumerDefinition>();
}
