using System.Globalization;
using HotDistance.Core.Registry;
using HotDistance.Core.Workspace;

namespace HotDistance.Evaluator;

/// <summary>
/// A registered version as a local checkpoint folder: the local registry's own folder, or (MLflow, whose
/// <see cref="ModelVersion.Location"/> is a remote address) a copy downloaded once into the workspace's
/// registry cache, under a temporary name and renamed into place so a half download is never scored.
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

        var partial = $"{cached}.partial-{Guid.NewGuid():N}";
        await registry.DownloadAsync(version.ModelName, version.Version, partial, cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.Move(partial, cached);
        }
        catch (IOException) when (Directory.Exists(cached))
        {
            // Another evaluator finished the same download first; its copy is as good.
            Directory.Delete(partial, recursive: true);
        }

        return cached;
    }
}
