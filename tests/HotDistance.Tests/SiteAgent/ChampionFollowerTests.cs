using HotDistance.Core.Volumes;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Inference;
using HotDistance.Learning.Model;
using HotDistance.Learning.Runtime;
using HotDistance.SiteAgent;
using HotDistance.Tests.Learning;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace HotDistance.Tests.SiteAgent;

public class ChampionFollowerTests
{
    private static ChampionFollower Follower(SiteTestModels models, string siteDirectory) =>
        new(new SiteLayout(siteDirectory), models.Pipeline, models.Registry, NullLogger<ChampionFollower>.Instance);

    [Fact]
    public async Task A_prediction_keeps_the_model_it_loaded_while_the_site_switches_and_the_next_one_uses_the_new_model()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));
        var follower = Follower(models, temp.Combine("site"));
        var first = await models.PromoteAsync(1);
        Assert.Equal(SiteUpdateKind.Switched, (await follower.FollowChampionAsync("test", (first.Version, first.Sha256), CancellationToken.None)).Kind);
        var raw = TinyTraining.Crop(seed: 5).Raw;

        using (var running = LoadedModel.FromSite(follower.Site))
        {
            // Two promotions while the prediction holds v1: the second switch removes v1's files from the site.
            foreach (var generation in new[] { 2, 3 })
            {
                var promoted = await models.PromoteAsync(generation);
                var update = await follower.FollowChampionAsync("test", (promoted.Version, promoted.Sha256), CancellationToken.None);
                Assert.Equal(SiteUpdateKind.Switched, update.Kind);
            }

            Assert.False(Directory.Exists(follower.Site.ModelDirectory(1)));
            Assert.Equal(1, running.Version);
            var completed = Predict(running.Model, running.Metadata, raw);
            Assert.Equal(PredictFrom(models.VersionDirectory(1), raw), completed);
            Assert.NotEqual(PredictFrom(models.VersionDirectory(3), raw), completed);
        }

        using var next = LoadedModel.FromSite(follower.Site);
        Assert.Equal(3, next.Version);
        Assert.Equal(PredictFrom(models.VersionDirectory(3), raw), Predict(next.Model, next.Metadata, raw));
        Assert.Equal([2, 3], follower.Site.ListVersions());
        Assert.Equal(2, follower.Site.ReadCurrent()!.PreviousVersion);
    }

    [Fact]
    public async Task A_model_whose_checksum_does_not_match_the_registry_is_refused_and_the_site_keeps_its_model()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));
        var follower = Follower(models, temp.Combine("site"));
        await models.PromoteAsync(1);
        await follower.FollowChampionAsync("test", null, CancellationToken.None);
        var before = await File.ReadAllTextAsync(follower.Site.CurrentFile);

        var second = await models.PromoteAsync(2);
        var weights = Path.Combine(models.VersionDirectory(second.Version), Checkpoint.ModelFile);
        var bytes = await File.ReadAllBytesAsync(weights);
        bytes[bytes.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(weights, bytes);

        var update = await follower.FollowChampionAsync("test", (second.Version, second.Sha256), CancellationToken.None);

        Assert.Equal(SiteUpdateKind.Refused, update.Kind);
        Assert.Contains("SHA-256", update.Detail, StringComparison.Ordinal);
        Assert.Equal(1, update.Version);
        Assert.Equal(before, await File.ReadAllTextAsync(follower.Site.CurrentFile));
        Assert.Equal([1], follower.Site.ListVersions());
        Assert.Empty(Directory.EnumerateFileSystemEntries(follower.Site.Models, ".*"));
        using var loaded = LoadedModel.FromSite(follower.Site);
        Assert.Equal(1, loaded.Version);

        // An event that disagrees with the registry about the checksum is refused before anything is downloaded.
        await File.WriteAllBytesAsync(weights, [.. bytes.Select((b, i) => i == bytes.Length / 2 ? (byte)(b ^ 0x40) : b)]);
        var forged = await follower.FollowChampionAsync("test", (second.Version, new string('0', 64)), CancellationToken.None);
        Assert.Equal(SiteUpdateKind.Refused, forged.Kind);
        Assert.Equal(1, follower.Site.ReadCurrent()!.Version);

        // Once the registry's file is whole again, the next look switches.
        Assert.Equal(SiteUpdateKind.Switched, (await follower.FollowChampionAsync("poll", null, CancellationToken.None)).Kind);
        Assert.Equal(2, follower.Site.ReadCurrent()!.Version);
    }

    [Fact]
    public async Task A_duplicate_or_stale_promotion_event_changes_nothing()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));
        var follower = Follower(models, temp.Combine("site"));
        var first = await models.PromoteAsync(1);
        var second = await models.PromoteAsync(2);
        Assert.Equal(SiteUpdateKind.Switched, (await follower.FollowChampionAsync("promoted", (second.Version, second.Sha256), CancellationToken.None)).Kind);
        var pointer = await File.ReadAllTextAsync(follower.Site.CurrentFile);
        var weights = Path.Combine(follower.Site.ModelDirectory(2), Checkpoint.ModelFile);
        var written = File.GetLastWriteTimeUtc(weights);

        var duplicate = await follower.FollowChampionAsync("promoted", (second.Version, second.Sha256), CancellationToken.None);
        var stale = await follower.FollowChampionAsync("promoted", (first.Version, first.Sha256), CancellationToken.None);

        Assert.Equal(SiteUpdateKind.AlreadyCurrent, duplicate.Kind);
        Assert.Equal(SiteUpdateKind.AlreadyCurrent, stale.Kind);
        Assert.Equal(pointer, await File.ReadAllTextAsync(follower.Site.CurrentFile));
        Assert.Equal(written, File.GetLastWriteTimeUtc(weights));
        Assert.Equal([2], follower.Site.ListVersions());
    }

    [Fact]
    public async Task A_site_with_no_champion_to_follow_waits_without_a_model()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));
        var follower = Follower(models, temp.Combine("site"));

        var update = await follower.FollowChampionAsync("poll", null, CancellationToken.None);

        Assert.Equal(SiteUpdateKind.NoChampion, update.Kind);
        Assert.Null(follower.Site.ReadCurrent());
        Assert.Throws<InvalidOperationException>(() => LoadedModel.FromSite(follower.Site));
    }

    private static float[] PredictFrom(string checkpoint, Volume<float> raw)
    {
        var (model, metadata) = Checkpoint.Load(checkpoint);
        using (model)
        {
            return Predict(model, metadata, raw);
        }
    }

    private static float[] Predict(UNet model, CheckpointMetadata metadata, Volume<float> raw)
    {
        TorchRuntime.EnsureLoaded();
        var prediction = CropPredictor.Predict(model, raw, metadata.Classes, CPU);
        return [.. prediction.OneHotProbabilities!.SelectMany(v => v.Data), .. prediction.Distances!.SelectMany(v => v.Data)];
    }
}
