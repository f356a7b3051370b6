using HotDistance.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.SiteAgent.Predictor;

/// <summary>
/// Wires a predictor into a host: it segments the blocks that <c>hd predict --distribute</c> requests, one block at a
/// time, from the job recorded in each block's output folder. Needs <see cref="PredictorSettings"/>.
/// </summary>
public static class PredictorRole
{
    public const string Name = "predictor";

    /// <summary>A predictor reports through the output folder (done and failure records), besides faults and refusals.</summary>
    public static IReadOnlyList<Type> Publishes { get; } = [];

    public static void AddServices(IServiceCollection services) => services.AddSingleton<PredictorModels>();

    public static void AddConsumers(IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<PredictionBlockRequestedConsumer, PredictionBlockRequestedConsumerDefinition>();
    }
}
