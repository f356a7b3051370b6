namespace HotDistance.Hosting.Configuration;

/// <summary>
/// The environment variables that set configuration keys. Any <c>HD_&lt;SECTION&gt;__&lt;KEY&gt;</c> variable sets
/// <c>section:key</c> (e.g. <c>HD_TRAINER__TRAINING__STEPS=500</c>); the short names below, from before the
/// configuration file, keep working as aliases of one key each. Other variables (the broker passwords of
/// hd broker-definitions, HD_ONEDNN_*) belong to their own readers and are not configuration keys.
/// </summary>
public static class EnvironmentAliases
{
    public const string Prefix = "HD_";
    public const string SectionSeparator = "__";

    public const string Workspace = "HD_WORKSPACE";
    public const string RabbitMq = "HD_RABBITMQ";
    public const string Registry = "HD_REGISTRY";
    public const string Steps = "HD_TRAIN_STEPS";
    public const string Mlflow = "MLFLOW_TRACKING_URI";
    public const string SiteDirectory = "HD_SITE_DIR";
    public const string Catalog = "HD_CATALOG";
    public const string CheckpointEvery = "HD_CHECKPOINT_EVERY";
    public const string Intensity = "HD_INTENSITY";
    public const string Runner = "HD_RUNNER";
    public const string QueuePrefix = "HD_QUEUE_PREFIX";
    public const string NightlyCron = "HD_NIGHTLY_CRON";
    public const string HealthFile = "HD_HEALTH_FILE";
    public const string Otlp = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string Device = "HD_DEVICE";
    public const string MlflowUsername = "MLFLOW_TRACKING_USERNAME";
    public const string MlflowPassword = "MLFLOW_TRACKING_PASSWORD";
    public const string MlflowToken = "MLFLOW_TRACKING_TOKEN";
    public const string MlflowExperiment = "MLFLOW_EXPERIMENT_NAME";

    /// <summary>Each alias and the key it sets.</summary>
    public static IReadOnlyDictionary<string, string> Keys { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Workspace] = "pipeline:workspace",
        [RabbitMq] = "rabbitMqUri",
        [Registry] = "registry",
        [Mlflow] = "mlflowTrackingUri",
        [MlflowUsername] = "mlflowUsername",
        [MlflowPassword] = "mlflowPassword",
        [MlflowToken] = "mlflowToken",
        [MlflowExperiment] = "mlflowExperiment",
        [Steps] = "trainer:training:steps",
        [CheckpointEvery] = "trainer:training:checkpointEvery",
        [Intensity] = "trainer:training:intensity",
        [Runner] = "trainer:runnerName",
        [SiteDirectory] = "site:directory",
        [Catalog] = "catalog",
        [QueuePrefix] = "endpointPrefix",
        [HealthFile] = "healthFile",
        [Otlp] = "otlpEndpoint",
        [Device] = "device",
        [NightlyCron] = "evaluator:nightly:cron",
    };

    /// <summary>The keys and values the environment sets, with the variable behind each.</summary>
    public static ConfigurationLayer Read(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var layer = new ConfigurationLayer();
        foreach (var (alias, key) in Keys)
        {
            if (!environment.TryGetValue(alias, out var value) || value.Length == 0)
            {
                continue;
            }

            // "off" keeps an evaluator from running nightly evaluations, e.g. a second one on the same workspace.
            if (alias == NightlyCron && value.Equals("off", StringComparison.OrdinalIgnoreCase))
            {
                layer.Set("evaluator:nightly:enabled", "false", $"environment {alias}");
                continue;
            }

            layer.Set(key, value, $"environment {alias}");
        }

        // The section form comes after the aliases, so it wins where both name one key.
        foreach (var (name, value) in environment.Where(e => e.Key.StartsWith(Prefix, StringComparison.Ordinal) && e.Key.Contains(SectionSeparator, StringComparison.Ordinal)))
        {
            layer.Set(name[Prefix.Length..].Replace(SectionSeparator, ":", StringComparison.Ordinal), value, $"environment {name}");
        }

        return layer;
    }

    /// <summary>The process's environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Current() =>
        System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => e.Value as string ?? string.Empty, StringComparer.Ordinal);
}
