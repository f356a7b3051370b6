using HotDistance.Core.Registry;

namespace HotDistance.Tests.Registry;

public class LocalModelRegistryTests
{
    private static string MakeArtifact(TempDirectory temp, string content)
    {
        var directory = temp.Combine("artifact-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "model.pt"), content);
        File.WriteAllText(Path.Combine(directory, "checkpoint.json"), "{}");
        return directory;
    }

    [Fact]
    public async Task Racing_promoters_make_one_version_per_generation()
    {
        using var temp = new TempDirectory();
        var root = temp.Combine("registry");
        var artifacts = Enumerable.Range(0, 8).Select(i => MakeArtifact(temp, $"weights {i % 2}")).ToList();

        // Eight writers (two registry instances, as two processes would have) register two generations at once.
        var registries = new[] { new LocalModelRegistry(root), new LocalModelRegistry(root) };
        var versions = await Task.WhenAll(artifacts.Select((artifact, i) => Task.Run(() =>
            registries[i % 2].RegisterAsync("m", artifact, "model.pt", $"generation:{i % 2}", new Dictionary<string, string>(), CancellationToken.None))));

        var all = await registries[0].ListVersionsAsync("m", CancellationToken.None);
        Assert.Equal([1, 2], all.Select(v => v.Version).ToArray());
        Assert.Equal(2, versions.Select(v => v.Version).Distinct().Count());
        Assert.All(versions, v => Assert.True(File.Exists(Path.Combine(v.Location, "model.pt"))));
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(root, "m", "versions"), ".staging-*"));
    }

    [Fact]
    public async Task Aliases_point_at_versions_and_refuse_unknown_ones()
    {
        using var temp = new TempDirectory();
        var registry = new LocalModelRegistry(temp.Combine("registry"));
        var v1 = await registry.RegisterAsync("m", MakeArtifact(temp, "a"), "model.pt", "k1", new Dictionary<string, string> { ["variant"] = "one-hot" }, CancellationToken.None);
        var v2 = await registry.RegisterAsync("m", MakeArtifact(temp, "b"), "model.pt", "k2", new Dictionary<string, string>(), CancellationToken.None);

        await registry.SetAliasAsync("m", RegistryAliases.Champion, v1.Version, CancellationToken.None);
        Assert.Equal(1, (await registry.GetByAliasAsync("m", RegistryAliases.Champion, CancellationToken.None))!.Version);
        await registry.SetAliasAsync("m", RegistryAliases.Champion, v2.Version, CancellationToken.None);
        Assert.Equal(2, (await registry.GetByAliasAsync("m", RegistryAliases.Champion, CancellationToken.None))!.Version);
        Assert.Equal("one-hot", v1.Tags["variant"]);
        Assert.NotEqual(v1.Sha256, v2.Sha256);

        await Assert.ThrowsAsync<InvalidOperationException>(() => registry.SetAliasAsync("m", RegistryAliases.Champion, 7, CancellationToken.None));
        Assert.Null(await registry.GetByAliasAsync("m", "nothing", CancellationToken.None));
    }

    [Fact]
    public async Task Download_copies_a_versions_files_but_not_the_registry_metadata()
    {
        using var temp = new TempDirectory();
        var registry = new LocalModelRegistry(temp.Combine("registry"));
        var artifact = MakeArtifact(temp, "weights");
        var version = await registry.RegisterAsync("m", artifact, "model.pt", "k", new Dictionary<string, string>(), CancellationToken.None);
        var target = temp.Combine("site", "models", "m-1");

        await registry.DownloadAsync("m", version.Version, target, CancellationToken.None);

        Assert.Equal(["checkpoint.json", "model.pt"], Directory.EnumerateFiles(target).Select(f => Path.GetFileName(f)!).Order().ToArray());
        Assert.Equal(File.ReadAllBytes(Path.Combine(artifact, "model.pt")), File.ReadAllBytes(Path.Combine(target, "model.pt")));
        await Assert.ThrowsAsync<InvalidOperationException>(() => registry.DownloadAsync("m", 2, target, CancellationToken.None));
    }
}
