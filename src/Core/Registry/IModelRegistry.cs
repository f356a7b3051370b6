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
    /// Copies the artifacts of <paramref name="version"/> into <paramref name="targetDirectory"/> (created when
    /// absent). The caller verifies them: it checks the primary artifact against <see cref="ModelVersion.Sha256"/>. A
    /// registry that checks what it serves on the way (MLflow: the weights' SHA-256, the names in a listing) throws
    /// <see cref="InvalidDataException"/> when a check fails, which callers treat as the same refusal.
    /// </summary>
    Task DownloadAsync(string modelName, int version, string targetDirectory, CancellationToken cancellationToken);
}
