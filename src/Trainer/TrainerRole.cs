using HotDistance.Contracts;
using HotDistance.Core.Tracking;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotDistance.Trainer;

/// <summary>Wires the trainer role (generation planning and variant training) into a host.</summary>
public static class TrainerRole
{
    public const string Name = "trainer";

    /// <summary>The events this role publishes, besides faults and refusals (the broker lets it publish no others).</summary>
    public static IReadOnlyList<Type> Publishes { get; } = [typeof(TrainingRequested), typeof(TrainingProgressed), typeof(TrainingRetrying), typeof(ModelTrained)];

    public static void AddServices(IServiceCollection services)
    {
        // Off unless the host registered a tracker first (PipelineHost does when an MLflow server is configured).
        services.TryAddSingleton<IExperimentTracker>(NoExperimentTracker.Instance);
        services.AddSingleton<GenerationPlanner>();
        services.AddHostedService<GenerationPlannerService>();
    }

    public static void AddConsumers(IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<CropIngestedConsumer>();
        bus.AddConsumer<TrainingRequestedConsumer, TrainingRequestedConsumerDefinition>();
        bus.AddConsumer<RetrainingRequestedConsumer>();
        bus.AddConsumer<AblationCellRequestedConsumer, AblationCellRequestedConsumerDefinition>();
    }
}
