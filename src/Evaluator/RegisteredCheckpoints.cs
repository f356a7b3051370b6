using System.Globalization;
using HotDistance.Contracts;
using HotDistance.Core.Registry;
using HotDistance.Core.Workspace;
using HotDistance.Learning.Checkpoints;

namespace HotDistance.Evaluator;

/// <summary>
/// A registered version as a local checkpoint folder: the local registry's own folder, or (MLflow, whose
/// <see cref="ModelVersion.Location"/> is a remote address) a verified copy downloaded once into the
/// workspace's registry cache (<see cref="ArtifactVerifier.DownloadVerifiedAsync"/>).
/// </summary>
public static class RegisteredCheckpoints
{
    /// <summary>The registry's champion as a model to score, or null when there is none yet.</summary>
    public static async Task<ScoringCandidate?> ChampionAsync(
        IModelRegistry registry, string modelName, WorkspaceLayout workspace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (await registry.GetByAliasAsync(modelName, RegistryAliases.Champion, cancellationToken).ConfigureAwait(false) is not { } champion)
        {
            return null;
        }

        var directory = await LocalDirectoryAsync(registry, champion, workspace, cancellationToken).ConfigureAwait(false);
        return new ScoringCandidate(
            champion.Tags.GetValueOrDefault("variant", "champion"),
            ModelRoles.Champion,
            CheckpointReferences.Registered(champion.ModelName, champion.Version),
            directory,
            champion.Sha256);
    }

    public static async Task<string> LocalDirectoryAsync(
        IModelRegistry registry, ModelVersion version, WorkspaceLayout workspace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(workspace);
        if (Directory.Exists(version.Location))
        {
            return version.Location;
        }

        var cached = Path.Combine(workspace.Root, "registry-cache", version.ModelName, "v" + version.Version.ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(cached))
        {
            return cached;
        }

        if (await ArtifactVerifier.DownloadVerifiedAsync(registry, version, cached, cancellationToken).ConfigureAwait(false) is { } problem)
        {
            throw new InvalidOperationException($"{version.ModelName} v{version.Version} from the registry cannot be scored: {problem}");
        }

        return cached;
    }
}
