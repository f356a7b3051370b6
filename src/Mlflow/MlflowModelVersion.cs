namespace HotDistance.Mlflow;

/// <summary>One version of a registered model as MLflow reports it.</summary>
public sealed record MlflowModelVersion(
    string Name,
    int Version,
    string Source,
    string? RunId,
    string Status,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Aliases);
