using HotDistance.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Publisher;

/// <summary>Wires the publisher role into a host.</summary>
public static class PublisherRole
{
    public const string Name = "publisher";

    /// <summary>
    /// The events this role publishes, besides faults and refusals (the broker lets it publish no others);
    /// <c>hd rollback</c> announces a rollback as the publisher.
    /// </summary>
    public static IReadOnlyList<Type> Publishes { get; } = [typeof(ModelPromoted), typeof(PromotionDeclined), typeof(ChampionRolledBack), typeof(GenerationStalled)];

    public static void AddServices(IServiceCollection services) => services.AddSingleton<Promoter>();

    public static void AddConsumers(IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<EvaluationCompletedConsumer, EvaluationCompletedConsumerDefinition>();
}
