namespace HotDistance.Core.Registry;

/// <summary>A model registry: versions, tags and aliases (the champion is the alias "champion").</summary>
public interface IModelRegistry
{
    /// <summary>
    /// Registers the artifacts in <paramref name="artifactDirectory"/> as a new version, unless a version with
    /// the same <paramref name="idempotencyKey"/> exists: then that version is returned and nothing is written.
    /// </summary>
    Task<ModelVersion> RegisterAsync(
        string modelName,
        string artifactDirectory,
        string primaryArtifact,
        string idempotencyKey,
        IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken);

    Task SetAliasAsync(string modelName, string alias, int version, CancellationToken cancellationToken);

    Task<ModelVersion?> GetByAliasAsync(string modelName, string alias, CancellationToken cancellationToken);

    Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string modelName, CancellationToken cancellationToken);

    /// <summary>
    /// Copies version <paramref name="version"/>'s artifact files into <paramref name="targetDirectory"/> (created if
    /// needed), so a site or evaluator can load a model from a local folder whatever the backend.
    /// </summary>
    Task DownloadAsync(string modelName, int version, string targetDirectory, CancellationToken cancellationToken);
}
