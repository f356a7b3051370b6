using HotDistance.Dashboard;
using HotDistance.Evaluator;
using HotDistance.Ingest;
using HotDistance.Publisher;
using HotDistance.SiteAgent;
using HotDistance.SiteAgent.Predictor;
using HotDistance.Trainer;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Hosting;

/// <summary>The roles a host can run, by the names used on the command line.</summary>
public static class PipelineRoles
{
    private static readonly Dictionary<string, (Action<IServiceCollection> Services, Action<IBusRegistrationConfigurator> Consumers, IReadOnlyList<Type> Publishes)> Catalog =
        new(StringComparer.OrdinalIgnoreCase)
        {
            [IngestRole.Name] = (IngestRole.AddServices, IngestRole.AddConsumers, IngestRole.Publishes),
            [TrainerRole.Name] = (TrainerRole.AddServices, TrainerRole.AddConsumers, TrainerRole.Publishes),
            [EvaluatorRole.Name] = (EvaluatorRole.AddServices, EvaluatorRole.AddConsumers, EvaluatorRole.Publishes),
            [PublisherRole.Name] = (PublisherRole.AddServices, PublisherRole.AddConsumers, PublisherRole.Publishes),
            [SiteRole.Name] = (SiteRole.AddServices, SiteRole.AddConsumers, SiteRole.Publishes),
            [PredictorRole.Name] = (PredictorRole.AddServices, PredictorRole.AddConsumers, PredictorRole.Publishes),
            [DashboardRole.Name] = (DashboardRole.AddServices, _ => { }, DashboardRole.Publishes),
        };

    /// <summary>The pipeline's own roles, hosted by default.</summary>
    public static IReadOnlyList<string> All { get; } = [IngestRole.Name, TrainerRole.Name, EvaluatorRole.Name, PublisherRole.Name];

    /// <summary>
    /// Every role a host can run: the pipeline's, an inference site (which needs a folder of its own), a predictor of
    /// distributed blockwise jobs and the dashboard.
    /// </summary>
    public static IReadOnlyList<string> Available { get; } = [.. All, SiteRole.Name, PredictorRole.Name, DashboardRole.Name];

    public static IReadOnlyList<string> Parse(string roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var names = roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => !Catalog.ContainsKey(n)).ToList();
        if (unknown.Count > 0 || names.Length == 0)
        {
            throw new ArgumentException($"unknown role(s) '{string.Join(", ", unknown)}': choose from {string.Join(", ", Available)}", nameof(roles));
        }

        return names.Select(n => n.ToLowerInvariant()).Distinct().ToList();
    }

    /// <summary>The events <paramref name="role"/> publishes, besides faults and refusals.</summary>
    public static IReadOnlyList<Type> Publishes(string role) => Catalog[role].Publishes;

    internal static void Add(string role, IServiceCollection services, IBusRegistrationConfigurator bus)
    {
        var (addServices, addConsumers, _) = Catalog[role];
        addServices(services);
        addConsumers(bus);
    }
}
