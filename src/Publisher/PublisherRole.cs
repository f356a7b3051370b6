using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Publisher;

/// <summary>Wires the publisher role into a host.</summary>
public static class PublisherRole
{
    public const string Name = "publisher";

    public static void AddServices(IServiceCollection services) => services.AddSingleton<Promoter>();

    public static void AddConsumers(IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<EvaluationCompletedConsumer, EvaluationCompletedConsumerDefinition>();
}
