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
    public const string CheckpointEveryVariable = "HD_CHECKPOINT_EVERY";
    public const string RunnerVariable = "HD_RUNNER";
    public const string QueuePrefixVariable = "HD_QUEUE_PREFIX";

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
            EndpointPrefix = Environment.GetEnvironmentVariable(QueuePrefixVariable) is { Length: > 0 } prefix ? prefix : null,
        };

        var training = settings.Trainer.Training;
        if (PositiveNumber(StepsVariable, "training steps") is { } steps)
        {
            training = training with { Steps = steps };
        }

        if (PositiveNumber(CheckpointEveryVariable, "steps between checkpoints") is { } every)
        {
            training = training with { CheckpointEvery = every };
        }

        var trainer = settings.Trainer with { Training = training };
        if (Environment.GetEnvironmentVariable(RunnerVariable) is { Length: > 0 } runner)
        {
            trainer = trainer with { RunnerName = runner };
        }

        return settings with { Trainer = trainer };
    }

    private static int? PositiveNumber(string variable, string meaning)
    {
        if (Environment.GetEnvironmentVariable(variable) is not { Length: > 0 } text)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{variable}='{text}' is not a positive whole number of {meaning}");
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
