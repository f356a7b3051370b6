using System.Globalization;
using HotDistance.Core.Hashing;
using HotDistance.Core.IO;

namespace HotDistance.Core.Registry;

/// <summary>
/// The embedded registry: <c>&lt;root&gt;/&lt;model&gt;/versions/&lt;n&gt;/</c> holds a version's artifacts and its
/// <c>version.json</c>; <c>aliases.json</c> maps aliases to versions. A version directory is assembled under a
/// temporary name and renamed into place, and every change holds the model's directory lock, so two writers
/// (two publishers, or a publisher and a rollback) never interleave.
/// </summary>
public sealed class LocalModelRegistry(string root) : IModelRegistry
{
    private const string VersionFile = "version.json";
    private const string AliasFile = "aliases.json";

    public async Task<ModelVersion> RegisterAsync(
        string modelName,
        string artifactDirectory,
        string primaryArtifact,
        string idempotencyKey,
        IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var modelDirectory = ModelDirectory(modelName);
        using var gate = await DirectoryLock.AcquireAsync(modelDirectory, cancellationToken).ConfigureAwait(false);
        var existing = ReadVersions(modelName).FirstOrDefault(v =>
            v.Tags.TryGetValue(RegistryAliases.IdempotencyTag, out var key) && key == idempotencyKey);
        if (existing is not null)
        {
            return existing;
        }

        var versionsDirectory = Path.Combine(modelDirectory, "versions");
        Directory.CreateDirectory(versionsDirectory);
        var number = ReadVersions(modelName).Select(v => v.Version).DefaultIfEmpty(0).Max() + 1;
        var staging = Path.Combine(versionsDirectory, $".staging-{Guid.NewGuid():N}");
        var final = Path.Combine(versionsDirectory, number.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(staging);
        try
        {
            foreach (var file in Directory.EnumerateFiles(artifactDirectory))
            {
                File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
            }

            var allTags = new Dictionary<string, string>(tags, StringComparer.Ordinal)
            {
                [RegistryAliases.IdempotencyTag] = idempotencyKey,
            };
            var version = new ModelVersion(
                modelName,
                number,
                final,
                Sha256File.Compute(Path.Combine(staging, primaryArtifact)),
                allTags,
                DateTimeOffset.UtcNow);
            AtomicFile.WriteJson(Path.Combine(staging, VersionFile), version);
            Directory.Move(staging, final);
            return version;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    public async Task SetAliasAsync(string modelName, string alias, int version, CancellationToken cancellationToken)
    {
        var modelDirectory = ModelDirectory(modelName);
        using var gate = await DirectoryLock.AcquireAsync(modelDirectory, cancellationToken).ConfigureAwait(false);
        if (ReadVersions(modelName).All(v => v.Version != version))
        {
            throw new InvalidOperationException($"model '{modelName}' has no version {version} in {modelDirectory}");
        }

        var aliases = ReadAliases(modelDirectory);
        aliases[alias] = version;
        AtomicFile.WriteJson(Path.Combine(modelDirectory, AliasFile), aliases);
    }

    public Task<ModelVersion?> GetByAliasAsync(string modelName, string alias, CancellationToken cancellationToken)
    {
        var aliases = ReadAliases(ModelDirectory(modelName));
        var version = aliases.TryGetValue(alias, out var number)
            ? ReadVersions(modelName).FirstOrDefault(v => v.Version == number)
            : null;
        return Task.FromResult(version);
    }

    public Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string modelName, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ModelVersion>>(ReadVersions(modelName));

    public Task DownloadAsync(string modelName, int version, string targetDirectory, CancellationToken cancellationToken)
    {
        // The version's own directory, not the Location it recorded: the workspace may have moved since.
        var source = Path.Combine(ModelDirectory(modelName), "versions", version.ToString(CultureInfo.InvariantCulture));
        if (!File.Exists(Path.Combine(source, VersionFile)))
        {
            throw new InvalidOperationException($"model '{modelName}' has no version {version} in {ModelDirectory(modelName)}");
        }

        Directory.CreateDirectory(targetDirectory);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Path.GetFileName(file) != VersionFile)
            {
                File.Copy(file, Path.Combine(targetDirectory, Path.GetFileName(file)), overwrite: true);
            }
        }

        return Task.CompletedTask;
    }

    private string ModelDirectory(string modelName)
    {
        if (string.IsNullOrWhiteSpace(modelName) || modelName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new ArgumentException($"'{modelName}' is not a usable model name: use letters, digits, '-' and '_'", nameof(modelName));
        }

        return Path.Combine(root, modelName);
    }

    private List<ModelVersion> ReadVersions(string modelName)
    {
        var versionsDirectory = Path.Combine(ModelDirectory(modelName), "versions");
        if (!Directory.Exists(versionsDirectory))
        {
            return [];
        }

        return Directory.EnumerateDirectories(versionsDirectory)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .Select(d => Path.Combine(d, VersionFile))
            .Where(File.Exists)
            .Select(f => AtomicFile.ReadJson<ModelVersion>(f)!)
            .OrderBy(v => v.Version)
            .ToList();
    }

    private static Dictionary<string, int> ReadAliases(string modelDirectory)
    {
        var path = Path.Combine(modelDirectory, AliasFile);
        return File.Exists(path)
            ? AtomicFile.ReadJson<Dictionary<string, int>>(path) ?? []
            : [];
    }
}
