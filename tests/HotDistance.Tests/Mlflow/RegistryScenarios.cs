using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Hashing;
using HotDistance.Core.IO;
using HotDistance.Core.Registry;
using HotDistance.Core.Workspace;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Model;
using HotDistance.Mlflow;
using HotDistance.Publisher;
using HotDistance.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotDistance.Tests.Mlflow;

/// <summary>
/// What the MLflow registry must do, written once and run against the in-process fake and, when
/// MLFLOW_TRACKING_URI is set, against a real tracking server. Each scenario uses its own model name.
/// </summary>
internal sealed class RegistryScenarios(MlflowClient client, MlflowModelRegistry registry, TempDirectory temp)
{
    private static readonly CancellationToken None = CancellationToken.None;

    public static string UniqueModelName() => "hd-test-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>
    /// An artifact whose checkpoint.json is complete and matches its (text) weights, as the promoter requires; at
    /// <paramref name="at"/> when given (under a workspace's generations, where the promoter takes checkpoints from).
    /// </summary>
    public string MakeCheckpoint(string weights, string? at = null)
    {
        var directory = MakeArtifact(weights);
        if (at is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(at)!);
            Directory.Move(directory, at);
            directory = at;
        }

        var metadata = new CheckpointMetadata(
            "hot-distance", ["mito", "er"], [8, 8, 8], 80, 1, ModelArchitecture.Small, 10, 10, "g", null, [], [0.5],
            Sha256File.Compute(Path.Combine(directory, Checkpoint.ModelFile)), null, "test", DateTimeOffset.UtcNow);
        AtomicFile.WriteJson(Path.Combine(directory, Checkpoint.MetadataFile), metadata);
        return directory;
    }

    public string MakeArtifact(string weights, bool withSubfolder = false)
    {
        var directory = temp.Combine("artifact-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "model.pt"), weights);
        File.WriteAllText(Path.Combine(directory, "checkpoint.json"), """{"Classes":["mito","er"],"VoxelSizeNm":[8,8,8],"ScaleNm":80}""");
        if (withSubfolder)
        {
            Directory.CreateDirectory(Path.Combine(directory, "extra"));
            File.WriteAllBytes(Path.Combine(directory, "extra", "binary.bin"), Enumerable.Range(0, 70_000).Select(i => (byte)(i * 31 % 251)).ToArray());
        }

        return directory;
    }

    public async Task RegisterAliasAndGetByAliasRoundTrip()
    {
        var model = UniqueModelName();
        var artifact = MakeArtifact("weights one");
        var tags = new Dictionary<string, string> { ["variant"] = "hot-distance", ["generation"] = "g1" };

        var registered = await registry.RegisterAsync(model, artifact, "model.pt", "generation:g1", tags, None);
        await registry.SetAliasAsync(model, RegistryAliases.Champion, registered.Version, None);
        var champion = await registry.GetByAliasAsync(model, RegistryAliases.Champion, None);

        Assert.NotNull(champion);
        Assert.Equal(registered.Version, champion.Version);
        Assert.Equal(model, champion.ModelName);
        Assert.Equal(Sha256File.Compute(Path.Combine(artifact, "model.pt")), champion.Sha256);
        Assert.Equal("hot-distance", champion.Tags["variant"]);
        Assert.Equal("generation:g1", champion.Tags[RegistryAliases.IdempotencyTag]);
        Assert.StartsWith("mlflow-artifacts:/", champion.Location, StringComparison.Ordinal);
        Assert.Equal([registered.Version], (await registry.ListVersionsAsync(model, None)).Select(v => v.Version));
    }

    public async Task ReRegisteringTheSameKeyMakesNoSecondVersion()
    {
        var model = UniqueModelName();
        var first = await registry.RegisterAsync(model, MakeArtifact("a"), "model.pt", "generation:g7", new Dictionary<string, string>(), None);

        // A redelivered promotion: same key, even a different scratch folder.
        var again = await registry.RegisterAsync(model, MakeArtifact("a"), "model.pt", "generation:g7", new Dictionary<string, string>(), None);
        var other = await registry.RegisterAsync(model, MakeArtifact("b"), "model.pt", "generation:g8", new Dictionary<string, string>(), None);

        Assert.Equal(first.Version, again.Version);
        Assert.NotEqual(first.Version, other.Version);
        Assert.Equal(2, (await registry.ListVersionsAsync(model, None)).Count);
    }

    public async Task CreatingAnExistingRegisteredModelIsFine()
    {
        var model = UniqueModelName();
        Assert.True(await client.CreateRegisteredModelAsync(model, None));
        Assert.False(await client.CreateRegisteredModelAsync(model, None));

        // Registering into the model that already exists goes through the same path.
        var version = await registry.RegisterAsync(model, MakeArtifact("x"), "model.pt", "k", new Dictionary<string, string>(), None);
        Assert.Equal(1, version.Version);
    }

    public async Task MissingAliasIsNull()
    {
        var model = UniqueModelName();
        Assert.Null(await registry.GetByAliasAsync(model, RegistryAliases.Champion, None));
        await registry.RegisterAsync(model, MakeArtifact("x"), "model.pt", "k", new Dictionary<string, string>(), None);
        Assert.Null(await registry.GetByAliasAsync(model, "nobody-set-this", None));
    }

    public async Task DeletedAliasIsGone()
    {
        var model = UniqueModelName();
        var version = await registry.RegisterAsync(model, MakeArtifact("x"), "model.pt", "k", new Dictionary<string, string>(), None);
        await registry.SetAliasAsync(model, "staging", version.Version, None);
        Assert.NotNull(await registry.GetByAliasAsync(model, "staging", None));

        await client.DeleteAliasAsync(model, "staging", None);

        Assert.Null(await registry.GetByAliasAsync(model, "staging", None));
    }

    public async Task ReservedAliasNamesAreRefused()
    {
        var model = UniqueModelName();
        var version = await registry.RegisterAsync(model, MakeArtifact("x"), "model.pt", "k", new Dictionary<string, string>(), None);
        foreach (var alias in new[] { "latest", "LATEST", "v1", "V12", "has space", string.Empty })
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => registry.SetAliasAsync(model, alias, version.Version, None));
            Assert.Contains(alias.Length == 0 ? "empty" : alias, error.Message, StringComparison.Ordinal);
        }

        Assert.Contains("reserved", (await Assert.ThrowsAsync<ArgumentException>(() => registry.GetByAliasAsync(model, "latest", None))).Message, StringComparison.Ordinal);
        Assert.Contains("reserved", (await Assert.ThrowsAsync<ArgumentException>(() => client.DeleteAliasAsync(model, "v3", None))).Message, StringComparison.Ordinal);
    }

    public async Task UnknownVersionCannotGetAnAlias()
    {
        var model = UniqueModelName();
        await registry.RegisterAsync(model, MakeArtifact("x"), "model.pt", "k", new Dictionary<string, string>(), None);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => registry.SetAliasAsync(model, RegistryAliases.Champion, 9, None));
        Assert.Contains("no version 9", error.Message, StringComparison.Ordinal);
    }

    public async Task ArtifactsComeBackByteIdentical()
    {
        var model = UniqueModelName();
        var artifact = MakeArtifact("the weights", withSubfolder: true);
        var version = await registry.RegisterAsync(model, artifact, "model.pt", "k", new Dictionary<string, string>(), None);
        var target = temp.Combine("downloaded-" + Guid.NewGuid().ToString("N"));

        await registry.DownloadAsync(model, version.Version, target, None);

        var sent = Directory.EnumerateFiles(artifact, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(artifact, f)).Order().ToList();
        var received = Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(target, f)).Order().ToList();
        Assert.Equal(sent, received);
        Assert.Equal(3, sent.Count);
        foreach (var file in sent)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(artifact, file)), File.ReadAllBytes(Path.Combine(target, file)));
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => registry.DownloadAsync(model, version.Version + 5, target, None));
    }

    /// <summary>The real promoter, twice and then redelivered: champion moves, the old one stays findable.</summary>
    public async Task PreviousChampionIsFindableAfterASecondPromotion()
    {
        var model = UniqueModelName();
        var root = temp.Combine("workspace-" + Guid.NewGuid().ToString("N")[..8]);
        var promoter = new Promoter(new WorkspaceLayout(root), new PipelineSettings { Workspace = root, ModelName = model }, registry, NullLogger<Promoter>.Instance);

        var layout = new WorkspaceLayout(root);
        MakeCheckpoint("first", Path.Combine(root, CheckpointReferences.Trained("g1", Variants.HotDistance)));
        var first = await promoter.PromoteAsync(RecordedEvaluations.Winner(layout, "g1", Variants.HotDistance, 0.7), None);
        MakeCheckpoint("second", Path.Combine(root, CheckpointReferences.Trained("g2", Variants.HotDistance)));
        var evaluation = RecordedEvaluations.Winner(layout, "g2", Variants.HotDistance, 0.7);
        var second = await promoter.PromoteAsync(evaluation, None);
        var redelivered = await promoter.PromoteAsync(evaluation, None);

        Assert.NotNull(first.Promoted);
        Assert.NotNull(second.Promoted);
        Assert.Equal(second.Promoted.Version, redelivered.Promoted!.Version);
        Assert.Equal(second.Promoted.Version, (await registry.GetByAliasAsync(model, RegistryAliases.Champion, None))!.Version);
        var previous = await registry.GetByAliasAsync(model, RegistryAliases.PreviousChampion, None);
        Assert.NotNull(previous);
        Assert.Equal(first.Promoted.Version, previous.Version);
        Assert.Equal("g1", previous.Tags["generation"]);
        Assert.Equal(2, (await registry.ListVersionsAsync(model, None)).Count);
    }
}
