using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Trainer;

/// <summary>Wires the trainer role (generation planning and variant training) into a host.</summary>
public static class TrainerRole
{
    public const string Name = "trainer";

    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton<GenerationPlanner>();
        services.AddHostedService<GenerationPlannerService>();
    }

    public static void AddConsumers(IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<CropIngestedConsumer, CropIngestedConsumerDefinition>();
        bus.AddConsumer<TrainingRequestedConsumer, TrainingRequestedConsumerDefinition>();
        bus.AddConsumer<RetrainingRequestedConsumer, RetrainingRequestedConsumerDefinition>();
    }
}
