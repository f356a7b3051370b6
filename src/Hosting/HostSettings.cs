using HotDistance.Ablation;
using HotDistance.Core;
using HotDistance.Dashboard;
using HotDistance.Evaluator;
using HotDistance.Ingest;
using HotDistance.Mlflow;
using HotDistance.SiteAgent;
using HotDistance.SiteAgent.Predictor;
using HotDistance.Trainer;

namespace HotDistance.Hosting;

/// <summary>
/// Everything a host needs to run roles, and the root of the configuration's keys (<c>pipeline:classes</c>,
/// <c>trainer:training:steps</c>, <c>rabbitMqUri</c>): bound from defaults, hd.json, HD_* variables and command-line
/// options by <see cref="Configuration.HostConfiguration"/>, so the embedded defaults run with no configuration at all.
/// </summary>
public sealed record HostSettings
{
    public required PipelineSettings Pipeline { get; init; }

    public TrainerSettings Trainer { get; init; } = new();

    public EvaluatorSettings Evaluator { get; init; } = new();

    public IngestSettings Ingest { get; init; } = new();

    public SiteSettings Site { get; init; } = new();

    public DashboardSettings Dashboard { get; init; } = new();

    /// <summary>How a predictor (<c>hd run --roles predictor</c>) does the blocks of distributed <c>hd predict</c> jobs.</summary>
    public PredictorSettings Predictor { get; init; } = new();

    /// <summary>The grid <c>hd ablate</c> runs and how its cells train and are scored.</summary>
    public AblationSettings Ablation { get; init; } = new();

    public TransportKind Transport => RabbitMqUri is null ? TransportKind.InMemory : TransportKind.RabbitMq;

    /// <summary>
    /// Where this host computes (training, scoring, prediction): auto (the GPU when there is one), cpu, cuda or cuda:N.
    /// Null is auto. The host hands it to the trainer's and the evaluator's settings.
    /// </summary>
    public string? Device { get; init; }

    /// <summary>amqp://user:password@host:port/vhost; null selects the in-memory transport.</summary>
    public Uri? RabbitMqUri { get; init; }

    /// <summary>"local" (a directory under the workspace) or "mlflow".</summary>
    public string Registry { get; init; } = "local";

    /// <summary>
    /// The MLflow tracking server: the registry's when <see cref="Registry"/> is mlflow, and where the pipeline's
    /// training and evaluation runs are tracked whenever it is set (whatever the registry).
    /// </summary>
    public Uri? MlflowTrackingUri { get; init; }

    /// <summary>The MLflow experiment that holds this pipeline's tracked runs (<c>MLFLOW_EXPERIMENT_NAME</c>); one per pipeline.</summary>
    public string MlflowExperiment { get; init; } = MlflowTrackingOptions.DefaultExperiment;

    /// <summary>With <see cref="MlflowPassword"/>: HTTP Basic, as MLflow's basic-auth app expects (MLFLOW_TRACKING_USERNAME).</summary>
    public string? MlflowUsername { get; init; }

    [Secret]
    public string? MlflowPassword { get; init; }

    /// <summary>A bearer token, used only when no username and password are set (MLflow's own precedence).</summary>
    [Secret]
    public string? MlflowToken { get; init; }

    /// <summary>
    /// Where the pipeline catalog lives (<c>HD_CATALOG</c>): null for a SQLite file in the workspace, a
    /// <c>postgres://</c> URI or <c>Host=...</c> connection string for PostgreSQL, <c>none</c> to record nothing.
    /// </summary>
    public string? Catalog { get; init; }

    /// <summary>
    /// Where the host writes its health every few seconds (<c>HD_HEALTH_FILE</c>), for <c>hd health</c> (a container's
    /// health check) to read; null writes nothing.
    /// </summary>
    public string? HealthFile { get; init; }

    /// <summary>
    /// Where traces and metrics go (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, OTLP over HTTP, e.g. http://collector:4318);
    /// null exports nothing.
    /// </summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>Prefixes every queue name, so several pipelines (or test runs) can share one broker.</summary>
    public string? EndpointPrefix { get; init; }
}
