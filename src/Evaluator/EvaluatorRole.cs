using HotDistance.Contracts;
using HotDistance.Core.Tracking;
using HotDistance.Evaluator.Nightly;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotDistance.Evaluator;

/// <summary>Wires the evaluator role into a host.</summary>
public static class EvaluatorRole
{
    public const string Name = "evaluator";

    /// <summary>The events this role publishes, besides faults and refusals (the broker lets it publish no others).</summary>
    public static IReadOnlyList<Type> Publishes { get; } = [typeof(EvaluationCompleted), typeof(NightlyEvaluationCompleted), typeof(RetrainingRequested), typeof(GenerationStalled)];

    public static void AddServices(IServiceCollection services)
    {
        // Off unless the host registered a tracker first (PipelineHost does when an MLflow server is configured).
        services.TryAddSingleton<IExperimentTracker>(NoExperimentTracker.Instance);
        services.AddSingleton<GenerationEvaluator>();
        services.AddHostedService<StalledGenerationSweeper>();
        NightlyScheduling.AddNightlyEvaluation(services);
    }

    public static void AddConsumers(IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<ModelTrainedConsumer, ModelTrainedConsumerDefinition>();
}
