using System.Globalization;
using HotDistance.Core;
using HotDistance.Core.Security;
using HotDistance.Core.Volumes;
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
    public const string IntensityVariable = "HD_INTENSITY";
    public const string RunnerVariable = "HD_RUNNER";
    public const string QueuePrefixVariable = "HD_QUEUE_PREFIX";
    public const string NightlyCronVariable = "HD_NIGHTLY_CRON";
    public const string HealthFileVariable = "HD_HEALTH_FILE";
    public const string OtlpVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static string DefaultWorkspace => Path.Combine(Environment.CurrentDirectory, ".hd", "workspace");

    /// <param name="environment">Reads a variable; the process environment unless a test supplies its own.</param>
    public static HostSettings FromEnvironment(string? workspace = null, string? rabbitMq = null, Func<string, string?>? environment = null)
    {
        var variable = environment ?? Environment.GetEnvironmentVariable;
        var settings = new HostSettings
        {
            Pipeline = new PipelineSettings
            {
                Workspace = workspace ?? variable(WorkspaceVariable) ?? DefaultWorkspace,
            },
            RabbitMqUri = ParseUri(rabbitMq ?? variable(RabbitMqVariable), "--rabbitmq / " + RabbitMqVariable),
            Registry = variable(RegistryVariable) ?? "local",
            MlflowTrackingUri = ParseUri(variable(MlflowVariable), MlflowVariable),
            Site = new SiteSettings { Directory = variable(SiteDirectoryVariable) is { Length: > 0 } site ? site : null },
            Catalog = variable(CatalogVariable),
            EndpointPrefix = variable(QueuePrefixVariable) is { Length: > 0 } prefix ? prefix : null,
            HealthFile = variable(HealthFileVariable) is { Length: > 0 } health ? health : null,
            OtlpEndpoint = ParseUri(variable(OtlpVariable), OtlpVariable),
        };

        var training = settings.Trainer.Training;
        if (PositiveNumber(variable, StepsVariable, "training steps") is { } steps)
        {
            training = training with { Steps = steps };
        }

        if (PositiveNumber(variable, CheckpointEveryVariable, "steps between checkpoints") is { } every)
        {
            training = training with { CheckpointEvery = every };
        }

        if (variable(IntensityVariable) is { Length: > 0 } intensity)
        {
            training = training with { Intensity = IntensityNormalization.Parse(intensity, IntensityVariable) };
        }

        var trainer = settings.Trainer with { Training = training };
        if (variable(RunnerVariable) is { Length: > 0 } runner)
        {
            trainer = trainer with { RunnerName = runner };
        }

        var evaluator = settings.Evaluator;
        if (variable(NightlyCronVariable) is { Length: > 0 } cron)
        {
            // "off" keeps an evaluator from running nightly evaluations, e.g. a second one on the same workspace.
            evaluator = evaluator with
            {
                Nightly = cron.Equals("off", StringComparison.OrdinalIgnoreCase)
                    ? evaluator.Nightly with { Enabled = false }
                    : evaluator.Nightly with { Cron = cron },
            };
        }

        return settings with { Trainer = trainer, Evaluator = evaluator };
    }

    private static int? PositiveNumber(Func<string, string?> read, string variable, string meaning)
    {
        if (read(variable) is not { Length: > 0 } text)
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
            : throw new ArgumentException($"{source}='{Redaction.Text(value)}' is not an absolute URI (expected e.g. amqp://user:password@localhost:5672/)");
    }
}
