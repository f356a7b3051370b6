using HotDistance.Catalog;
using HotDistance.Catalog.Recording;
using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.Registry;
using HotDistance.Core.Tracking;
using HotDistance.Core.Workspace;
using HotDistance.Hosting.Health;
using HotDistance.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDistance.Hosting;

/// <summary>
/// Builds a host running any subset of roles on one bus: the composition used by <c>hd run</c>, <c>hd demo</c>
/// and the integration tests. Every role gets the same shared services (workspace, crop store, registry), and every
/// host records the events it takes from the shared "catalog" queue into the pipeline catalog (<c>HD_CATALOG</c>).
/// </summary>
public static class PipelineHost
{
    public static IHost Build(
        HostSettings settings,
        IReadOnlyCollection<string> roles,
        Action<IServiceCollection, IBusRegistrationConfigurator>? extra = null,
        Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(roles);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        if (logging is null)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information);
            builder.Logging.AddFilter("MassTransit", LogLevel.Warning);
        }
        else
        {
            logging(builder.Logging);
        }

        RedactedLogging.Apply(builder.Services);

        var services = builder.Services;
        var workspace = new WorkspaceLayout(settings.Pipeline.Workspace);
        services.AddSingleton(settings);
        services.AddSingleton(settings.Pipeline);
        services.AddSingleton(settings.Trainer with { Training = settings.Trainer.Training with { Device = settings.Trainer.Training.Device ?? settings.Device } });
        services.AddSingleton(settings.Evaluator with { Device = settings.Evaluator.Device ?? settings.Device });
        // Ingest refuses crops the trainer's network cannot use, so one never reaches (and blocks) a generation.
        services.AddSingleton(settings.Ingest with { MinimumInPlaneVoxels = settings.Trainer.Training.Architecture.InPlaneDownsample });
        services.AddSingleton(settings.Site with { Device = settings.Site.Device ?? settings.Device });
        services.AddSingleton(settings.Predictor with { Device = settings.Predictor.Device ?? settings.Device });
        services.AddSingleton(settings.Dashboard);
        services.AddSingleton(workspace);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new CropStore(workspace.Crops, settings.Pipeline.HeldOutFraction));
        services.AddSingleton<IModelRegistry>(_ => ModelRegistries.Create(settings, workspace));
        // Before the roles, whose own registration of tracking-off only fills the gap.
        services.AddSingleton(provider => ExperimentTrackers.Create(settings, provider.GetRequiredService<ILoggerFactory>()));

        // Health in one place: MassTransit adds its bus check; hd health reads what HealthFileWriter writes.
        services.AddHealthChecks()
            .AddCheck<WorkspaceWritableCheck>("workspace")
            .AddCheck<RegistryCheck>("registry");
        services.AddHostedService<HealthFileWriter>();
        Telemetry.Add(services, settings, roles);

        // Start returns only once every receive endpoint is bound: a message published right after start (hd ingest,
        // the tests) would otherwise reach an exchange with no queue yet and be dropped.
        services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromMinutes(1);
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        services.AddMassTransit(bus =>
        {
            // MassTransit 8.4+ reports anonymous usage to its vendor; sites and CI have no business calling out.
            bus.DisableUsageTelemetry();
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(settings.EndpointPrefix, includeNamespace: false));

            // Every endpoint, whoever registers its consumer: retries, permanent failures, quorum queue, dead letters.
            bus.AddConfigureEndpointsCallback((context, _, endpoint) => PipelineEndpoint.Apply(context, endpoint));
            foreach (var role in roles)
            {
                PipelineRoles.Add(role, services, bus);
            }

            // Not a role: any host records, so the catalog stays current whichever roles run where.
            CatalogRecording.Add(services, bus, CatalogConnection.Parse(settings.Catalog, workspace.Root));
            extra?.Invoke(services, bus);
            if (settings.RabbitMqUri is { } uri)
            {
                bus.UsingRabbitMq((context, cfg) =>
                {
                    // Confirms: a publish returns only once the broker has the (persistent) message, so "published"
                    // in a log or a planner's state means it survives a broker restart.
                    cfg.Host(uri, h => h.PublisherConfirmation = true);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
        });

        return builder.Build();
    }
}
