namespace HotDistance.Mlflow;

/// <summary>An entry of an artifact listing: <see cref="Name"/> is the base name inside the listed folder.</summary>
public sealed record MlflowArtifactFile(string Name, bool IsDirectory, long? Size);
