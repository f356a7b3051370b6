using System.Globalization;
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
