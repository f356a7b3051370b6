using System.Globalization;
using HotDistance.Core;
using HotDistance.SiteAgent;

namespace HotDistance.Hosting;

/// <summary>Reads HD_* environment variables over the defaults.</summary>
public static class HostSettingsLoader
{
    public const string WorkspaceVariable = "HD_WORKSPACE";
    public const string RabbitMqVariable = "HD_RABBITMQ";
    public const string RegistryVariable = "HD_REGISTRY";
    public const string StepsVariable = "HD_TRAIN_STEPS";
    public const string MlflowVariable = "MLFLOW_TRACKING_URI";
    public const string SiteDirectoryVariable = "HD_SITE_DIR";
    public const string CatalogVariable = "HD_CATALOG";

    public static string DefaultWorkspace => Path.Combine(Environment.CurrentDirectory, ".hd", "workspace");

    public static HostSettings FromEnvironment(string? workspace = null, string? rabbitMq = null)
    {
        var settings = new HostSettings
        {
            Pipeline = new PipelineSettings
            {
                Workspace = workspace ?? Environment.GetEnvironmentVariable(WorkspaceVariable) ?? DefaultWorkspace,
            },
            RabbitMqUri = ParseUri(rabbitMq ?? Environment.GetEnvironmentVariable(RabbitMqVariable), "--rabbitmq / " + RabbitMqVariable),
            Registry = Environment.GetEnvironmentVariable(RegistryVariable) ?? "local",
            MlflowTrackingUri = ParseUri(Environment.GetEnvironmentVariable(MlflowVariable), MlflowVariable),
            Site = new SiteSettings { Directory = Environment.GetEnvironmentVariable(SiteDirectoryVariable) is { Length: > 0 } site ? site : null },
            Catalog = Environment.GetEnvironmentVariable(CatalogVariable),
        };

        if (Environment.GetEnvironmentVariable(StepsVariable) is { Length: > 0 } steps)
        {
            if (!int.TryParse(steps, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                throw new ArgumentException($"{StepsVariable}='{steps}' is not a positive whole number of training steps");
            }

            settings = settings with { Trainer = settings.Trainer with { Training = settings.Trainer.Training with { Steps = value } } };
        }

        return settings;
    }

    private static Uri? ParseUri(string? value, string source)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? uri
            : throw new ArgumentException($"{source}='{value}' is not an absolute URI (expected e.g. amqp://guest:guest@localhost:5672/)");
    }
}
