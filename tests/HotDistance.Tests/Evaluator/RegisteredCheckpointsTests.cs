using HotDistance.Core.Hashing;
using HotDistance.Core.Registry;
using HotDistance.Core.Workspace;
using HotDistance.Evaluator;

namespace HotDistance.Tests.Evaluator;

public sealed class RegisteredCheckpointsTests
{
    [Fact]
    public async Task A_local_version_is_scored_in_place_and_a_remote_one_is_downloaded_once_into_the_cache()
    {
        using var temp = new TempDirectory();
        var workspace = new WorkspaceLayout(temp.Combine("workspace"));
        var registry = new LocalModelRegistry(workspace.Registry);
        var artifact = Directory.CreateDirectory(temp.Combine("artifact")).FullName;
        await File.WriteAllTextAsync(Path.Combine(artifact, "model.pt"), "weights");
        // The checkpoint's own record of its weights, which a verified download checks.
        var sha = Sha256File.Compute(Path.Combine(artifact, "model.pt"));
        await File.WriteAllTextAsync(Path.Combine(artifact, "checkpoint.json"), $$"""{"ModelSha256": "{{sha}}"}""");
        var version = await registry.RegisterAsync("m", artifact, "model.pt", "generation:gen-0001", new Dictionary<string, string>(), default);

        Assert.Equal(version.Location, await RegisteredCheckpoints.LocalDirectoryAsync(registry, version, workspace, default));

        // As the MLflow backend reports it: an address, not a folder.
        var remote = version with { Location = "mlflow-artifacts:/1/abc/artifacts/model" };
        var cached = await RegisteredCheckpoints.LocalDirectoryAsync(registry, remote, workspace, default);
        Assert.StartsWith(workspace.Root, cached, StringComparison.Ordinal);
        Assert.Equal("weights", await File.ReadAllTextAsync(Path.Combine(cached, "model.pt")));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(cached)!, "*.partial-*"));

        // Already cached: no second download (the registry's copy could be gone by now).
        Directory.Delete(version.Location, recursive: true);
        Assert.Equal(cached, await RegisteredCheckpoints.LocalDirectoryAsync(registry, remote, workspace, default));
    }
}
