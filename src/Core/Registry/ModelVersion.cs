namespace HotDistance.Core.Registry;

/// <summary>
/// One registered version of a model. <see cref="Location"/> is a local directory holding the artifacts
/// (the local registry) or a URI the site agent can download from (MLflow).
/// </summary>
public sealed record ModelVersion(
    string ModelName,
    int Version,
    string Location,
    string Sha256,
    IReadOnlyDictionary<string, string> Tags,
    DateTimeOffset CreatedAt);
