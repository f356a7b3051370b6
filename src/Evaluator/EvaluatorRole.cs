using HotDistance.Evaluator.Nightly;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Evaluator;

/// <summary>Wires the evaluator role into a host.</summary>
public static class EvaluatorRole
{
    public const string Name = "evaluator";

    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton<GenerationEvaluator>();
        NightlyScheduling.AddNightlyEvaluation(services);
    }

    public static void AddConsumers(IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<ModelTrainedConsumer, ModelTrainedConsumerDefinition>();
}
