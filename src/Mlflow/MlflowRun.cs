namespace HotDistance.Mlflow;

/// <summary>The parts of an MLflow run this project uses.</summary>
public sealed record MlflowRun(string RunId, string ExperimentId, string ArtifactUri, string Status);
