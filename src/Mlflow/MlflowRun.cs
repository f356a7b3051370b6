namespace HotDistance.Mlflow;

/// <summary>The parts of an MLflow run this project uses; <see cref="LatestMetrics"/> holds each metric's value at its highest step.</summary>
public sealed record MlflowRun(string RunId, string ExperimentId, string ArtifactUri, string Status)
{
    public string Name { get; init; } = string.Empty;

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long StartTime { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<MlflowMetric> LatestMetrics { get; init; } = [];
}
