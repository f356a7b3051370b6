using System.Globalization;
using HotDistance.Core.Hashing;
using HotDistance.Core.Registry;
using HotDistance.Core.Tracking;

namespace HotDistance.Mlflow;

/// <summary>
/// The model registry on an MLflow tracking server. A registration is one MLflow run that carries the artifact
/// files (uploaded through the server's artifact proxy under <c>model/</c>) and a model version whose source is
/// that folder: the tracked training run of the weights when the tags name it, else a run of the registry's own. The version carries the caller's tags plus <see cref="RegistryAliases.IdempotencyTag"/>,
/// <see cref="Sha256Tag"/> and <see cref="PrimaryArtifactTag"/>.
/// </summary>
/// <remarks>
/// MLflow has no conditional create, so idempotency works in two steps: look for a version with the key before
/// registering, and after creating one look again: if two writers raced (or a retried create made two), the
/// lowest version with the key wins and the others are deleted, so every caller returns the same version.
/// </remarks>
public sealed class MlflowModelRegistry(MlflowClient client, string experimentName = MlflowModelRegistry.DefaultExperiment) : IModelRegistry
{
    public const string DefaultExperiment = "hotdistance-registry";
    public const string Sha256Tag = "hd.sha256";
    public const string PrimaryArtifactTag = "hd.primary_artifact";
    public const string ModelTag = "hd.model";

    /// <summary>The folder under a run's artifacts that holds a version's files.</summary>
    public const string ArtifactFolder = "model";

    /// <summary>MLflow's limit on a model version tag's value.</summary>
    public const int MaxTagValueLength = MlflowTagValues.MaxLength;

    private string? experimentId;

    public async Task<ModelVersion> RegisterAsync(
        string modelName,
        string artifactDirectory,
        string primaryArtifact,
        string idempotencyKey,
        IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        ArgumentNullException.ThrowIfNull(tags);
        var primaryPath = Path.Combine(artifactDirectory, primaryArtifact);
        if (!File.Exists(primaryPath))
        {
            throw new FileNotFoundException($"the primary artifact '{primaryArtifact}' is not in {artifactDirectory}", primaryPath);
        }

        await client.CreateRegisteredModelAsync(modelName, cancellationToken).ConfigureAwait(false);
        if (await FindByKeyAsync(modelName, idempotencyKey, cancellationToken).ConfigureAwait(false) is { Count: > 0 } existing)
        {
            return ToModelVersion(existing[0]);
        }

        var sha256 = Sha256File.Compute(primaryPath);
        var (run, ownRun) = await HolderRunAsync(modelName, idempotencyKey, tags, cancellationToken).ConfigureAwait(false);
        var folder = MlflowArtifactPaths.Combine(MlflowArtifactPaths.RunRoot(run), ArtifactFolder);
        try
        {
            if (ownRun)
            {
                await client.LogBatchAsync(run.RunId, MlflowTagValues.Limited(tags), null, null, cancellationToken).ConfigureAwait(false);
            }

            foreach (var file in Directory.EnumerateFiles(artifactDirectory, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(artifactDirectory, file).Replace(Path.DirectorySeparatorChar, '/');
                await client.UploadArtifactAsync(MlflowArtifactPaths.Combine(folder, relative), file, cancellationToken).ConfigureAwait(false);
            }

            if (ownRun)
            {
                await client.UpdateRunStatusAsync(run.RunId, MlflowRunStatus.Finished, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception) when (ownRun && !cancellationToken.IsCancellationRequested)
        {
            await MarkFailedAsync(run.RunId).ConfigureAwait(false);
            throw;
        }

        var versionTags = new Dictionary<string, string>(MlflowTagValues.Limited(tags), StringComparer.Ordinal)
        {
            [RegistryAliases.IdempotencyTag] = idempotencyKey,
            [Sha256Tag] = sha256,
            [PrimaryArtifactTag] = primaryArtifact,
        };
        var created = await client.CreateModelVersionAsync(modelName, MlflowArtifactPaths.ToUri(folder), run.RunId, versionTags, cancellationToken).ConfigureAwait(false);

        var sameKey = await FindByKeyAsync(modelName, idempotencyKey, cancellationToken).ConfigureAwait(false);
        var winner = sameKey.Count > 0 ? sameKey[0] : created;
        foreach (var loser in sameKey.Skip(1).Where(v => v.Version == created.Version))
        {
            await client.DeleteModelVersionAsync(modelName, loser.Version, cancellationToken).ConfigureAwait(false);
        }

        return ToModelVersion(winner);
    }

    /// <summary>
    /// Points <paramref name="alias"/> at <paramref name="version"/>. Moving <see cref="RegistryAliases.Champion"/>
    /// first moves <see cref="RegistryAliases.PreviousChampion"/> to the outgoing champion, so a rollback target
    /// exists whoever moves the champion (the promoter does the same; doing it twice is harmless).
    /// </summary>
    public async Task SetAliasAsync(string modelName, string alias, int version, CancellationToken cancellationToken)
    {
        MlflowAliasNames.Validate(alias);
        if (await client.GetModelVersionAsync(modelName, version, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new InvalidOperationException($"model '{modelName}' has no version {version} in MLflow at {client.DisplayUri}");
        }

        if (alias == RegistryAliases.Champion
            && await client.GetModelVersionByAliasAsync(modelName, RegistryAliases.Champion, cancellationToken).ConfigureAwait(false) is { } current
            && current.Version != version)
        {
            await client.SetAliasAsync(modelName, RegistryAliases.PreviousChampion, current.Version, cancellationToken).ConfigureAwait(false);
        }

        await client.SetAliasAsync(modelName, alias, version, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ModelVersion?> GetByAliasAsync(string modelName, string alias, CancellationToken cancellationToken)
    {
        var version = await client.GetModelVersionByAliasAsync(modelName, alias, cancellationToken).ConfigureAwait(false);
        return version is null ? null : ToModelVersion(version);
    }

    public async Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string modelName, CancellationToken cancellationToken)
    {
        var versions = await client.SearchModelVersionsAsync(MlflowClient.FilterByModelName(modelName), cancellationToken).ConfigureAwait(false);
        return versions.OrderBy(v => v.Version).Select(ToModelVersion).ToList();
    }

    /// <summary>
    /// Downloads every file of the version (sub-folders included) into <paramref name="targetDirectory"/>, each file
    /// whole or not at all, and checks the primary artifact against the SHA-256 recorded at registration.
    /// </summary>
    public async Task DownloadAsync(string modelName, int version, string targetDirectory, CancellationToken cancellationToken)
    {
        var found = await client.GetModelVersionAsync(modelName, version, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"model '{modelName}' has no version {version} in MLflow at {client.DisplayUri}");
        var root = MlflowArtifactPaths.ProxyPathOf(found.Source)
            ?? throw new InvalidOperationException(
                $"model '{modelName}' v{version} lives at '{found.Source}', which the tracking server's artifact proxy does not serve; " +
                "register versions through hd (or with mlflow-artifacts:/ sources) to download them here");
        Directory.CreateDirectory(targetDirectory);
        await DownloadFolderAsync(root, Path.GetFullPath(targetDirectory), cancellationToken).ConfigureAwait(false);

        if (found.Tags.TryGetValue(PrimaryArtifactTag, out var primary) && found.Tags.TryGetValue(Sha256Tag, out var expected))
        {
            var primaryPath = Path.Combine(targetDirectory, primary);
            if (!File.Exists(primaryPath))
            {
                throw new InvalidDataException($"model '{modelName}' v{version}: MLflow listed no {primary} under {root}, though the version was registered with it");
            }

            var actual = Sha256File.Compute(primaryPath);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"model '{modelName}' v{version}: downloaded {primary} has SHA-256 {actual}, the registry recorded {expected}");
            }
        }
    }

    private async Task DownloadFolderAsync(string proxyFolder, string localFolder, CancellationToken cancellationToken)
    {
        foreach (var entry in await client.ListArtifactsAsync(proxyFolder, cancellationToken).ConfigureAwait(false))
        {
            // Listings name entries by base name; anything else would let the server write outside the target.
            var name = entry.Name;
            if (name.Length == 0 || name is "." or ".." || name.IndexOfAny(['/', '\\']) >= 0)
            {
                throw new InvalidDataException($"MLflow listed an artifact called '{name}' under {proxyFolder}; refusing to write it");
            }

            var remote = MlflowArtifactPaths.Combine(proxyFolder, name);
            var local = Path.Combine(localFolder, name);
            if (entry.IsDirectory)
            {
                Directory.CreateDirectory(local);
                await DownloadFolderAsync(remote, local, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await client.DownloadArtifactAsync(remote, local, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The run that holds the version's files: the tracked training run that produced the weights, when the tags
    /// name one (<see cref="PipelineRuns.TrainingRunTag"/>) and this server has it, so the version's run and source
    /// link to it; otherwise a run of its own in the registry's experiment. A training run is left as it ended.
    /// </summary>
    private async Task<(MlflowRun Run, bool Own)> HolderRunAsync(string modelName, string idempotencyKey, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        if (tags.TryGetValue(PipelineRuns.TrainingRunTag, out var trainingRunId) && trainingRunId.Length > 0)
        {
            try
            {
                return (await client.GetRunAsync(trainingRunId, cancellationToken).ConfigureAwait(false), false);
            }
            catch (MlflowApiException e) when (e.ErrorCode == "RESOURCE_DOES_NOT_EXIST")
            {
                // Tracked on another server, or deleted: the version gets a run of its own.
            }
        }

        var experiment = experimentId ??= await client.GetOrCreateExperimentAsync(experimentName, cancellationToken).ConfigureAwait(false);
        var run = await client.CreateRunAsync(
            experiment,
            $"{modelName} {idempotencyKey}",
            new Dictionary<string, string>(StringComparer.Ordinal) { [ModelTag] = modelName, [RegistryAliases.IdempotencyTag] = idempotencyKey },
            cancellationToken).ConfigureAwait(false);
        return (run, true);
    }

    /// <summary>This key's versions, lowest first.</summary>
    private async Task<List<MlflowModelVersion>> FindByKeyAsync(string modelName, string idempotencyKey, CancellationToken cancellationToken)
    {
        // Filtering by name only and matching the tag here works on every MLflow version (tag filters came later).
        var versions = await client.SearchModelVersionsAsync(MlflowClient.FilterByModelName(modelName), cancellationToken).ConfigureAwait(false);
        return versions
            .Where(v => v.Name == modelName && v.Tags.TryGetValue(RegistryAliases.IdempotencyTag, out var key) && key == idempotencyKey)
            .OrderBy(v => v.Version)
            .ToList();
    }

    private async Task MarkFailedAsync(string runId)
    {
        try
        {
            await client.UpdateRunStatusAsync(runId, MlflowRunStatus.Failed, CancellationToken.None).ConfigureAwait(false);
        }
        catch (MlflowApiException)
        {
            // The original failure is the one worth reporting; an orphaned RUNNING run is only untidy.
        }
    }

    private static ModelVersion ToModelVersion(MlflowModelVersion version) => new(
        version.Name,
        version.Version,
        version.Source,
        version.Tags.GetValueOrDefault(Sha256Tag, string.Empty),
        version.Tags,
        version.CreatedAt);
}
