using HotDistance.Contracts;
using HotDistance.Core.IO;
using HotDistance.Core.Registry;
using HotDistance.Learning.Checkpoints;
using HotDistance.Publisher;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotDistance.Tests.SiteAgent;

/// <summary>What the publisher leaves for sites and auditors: the model card, declined promotions, rollbacks.</summary>
public class PromotionForSitesTests
{
    [Fact]
    public async Task A_promoted_version_carries_a_model_card_with_scores_grid_lineage_and_code_version()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Path);

        var promoted = await models.PromoteAsync(1);

        var card = AtomicFile.ReadJson<ModelCard>(Path.Combine(models.VersionDirectory(promoted.Version), ModelCard.FileName))!;
        Assert.Equal(Variants.HotDistance, card.Variant);
        Assert.Equal(0.51, card.Overall, 6);
        Assert.Equal(0.6, card.PerClass["mito"]);
        Assert.Equal(["mito", "er"], card.Classes);
        Assert.Equal([8.0, 8.0, 8.0], card.VoxelSizeNm);
        Assert.Equal(50, card.DistanceScaleNm);
        Assert.Equal([new ModelCardCrop("crop-1", "hash-1")], card.TrainingCrops);
        Assert.Equal(["held-1"], card.HeldOutCropIds);
        Assert.Equal(promoted.Sha256, card.ModelSha256);
        Assert.Equal(SiteTestModels.Intensity, card.Intensity);
        Assert.Equal(SiteTestModels.Intensity, Checkpoint.ReadVerified(models.VersionDirectory(promoted.Version))!.Intensity);
        Assert.Matches(@"^\d+\.\d+\.\d+", card.CodeVersion);
        Assert.Matches(@"^\d+\.\d+\.\d+", card.TrainingCodeVersion);
    }

    [Fact]
    public async Task Only_a_checkpoint_under_the_workspace_generations_without_links_is_promoted()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));
        var trained = models.SaveCheckpoint(1);
        var copy = temp.Combine("elsewhere", "final");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.EnumerateFiles(trained))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        var linked = models.Workspace.Checkpoint("gen-7", Variants.HotDistance);
        Directory.CreateDirectory(Path.GetDirectoryName(linked)!);
        Directory.CreateSymbolicLink(linked, copy);
        var promoter = new Promoter(models.Workspace, models.Pipeline, models.Registry, NullLogger<Promoter>.Instance);

        foreach (var (path, evaluationId) in new[] { (copy, "eval-copy"), (linked, "eval-link"), (Path.Combine(models.Workspace.Generations, "..", "..", "elsewhere", "final"), "eval-dots") })
        {
            var score = new ModelScore(Variants.HotDistance, "challenger", path, 0.9, new Dictionary<string, double> { ["mito"] = 0.9 });
            var forged = new EvaluationCompleted(evaluationId, "gen-7", 7, [score], score, "forged", [], [], "report.html", DateTimeOffset.UtcNow);

            var error = await Assert.ThrowsAsync<CheckpointException>(() => promoter.PromoteAsync(forged, CancellationToken.None));

            Assert.Contains("is not a checkpoint this pipeline trained", error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(await models.Registry.ListVersionsAsync(models.Pipeline.ModelName, CancellationToken.None));
        Assert.Equal(1, (await models.PromoteAsync(1)).Version);
    }

    [Fact]
    public async Task A_declined_promotion_is_recorded_with_its_reason_and_moves_no_alias()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Path);
        await models.PromoteAsync(1);
        var promoter = new Promoter(models.Workspace, models.Pipeline, models.Registry, NullLogger<Promoter>.Instance);
        var evaluation = new EvaluationCompleted("eval-2", "gen-2", 2, [], null, "no challenger beats the champion by 0.01", [], [], "report.html", DateTimeOffset.UtcNow);

        var (promoted, declined) = await promoter.PromoteAsync(evaluation, CancellationToken.None);

        Assert.Null(promoted);
        Assert.Equal("no challenger beats the champion by 0.01", declined!.Reason);
        var record = AtomicFile.ReadJson<PromotionRecord>(Path.Combine(models.Workspace.Root, "promotions", "eval-2.json"))!;
        Assert.False(record.Promoted);
        Assert.Equal(declined.Reason, record.Reason);
        Assert.Equal(1, await models.ChampionAsync());
    }

    [Fact]
    public async Task Rollback_goes_to_the_previous_champion_records_why_and_a_second_rollback_undoes_it()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Path);
        await models.PromoteAsync(1);
        var second = await models.PromoteAsync(2);
        var rollback = new ChampionRollback(models.Workspace, models.Pipeline, models.Registry);

        var back = await rollback.RollBackAsync(null, "v2 splits nuclei", CancellationToken.None);

        Assert.Equal((1, 2), (back!.Version, back.FromVersion));
        Assert.Equal(1, await models.ChampionAsync());
        var previous = await models.Registry.GetByAliasAsync(models.Pipeline.ModelName, RegistryAliases.PreviousChampion, CancellationToken.None);
        Assert.Equal(2, previous!.Version);
        var record = AtomicFile.ReadJson<RollbackRecord>(Assert.Single(Directory.GetFiles(rollback.RecordsDirectory)))!;
        Assert.Equal(("v2 splits nuclei", 2, 1), (record.Reason, record.FromVersion, record.ToVersion));

        var undone = await rollback.RollBackAsync(null, "false alarm", CancellationToken.None);
        Assert.Equal(second.Version, undone!.Version);
        Assert.Equal(second.Sha256, undone.Sha256);
        Assert.Null(await rollback.RollBackAsync(2, "already there", CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => rollback.RollBackAsync(9, "no such version", CancellationToken.None));
        Assert.Equal(2, Directory.GetFiles(rollback.RecordsDirectory).Length);
    }
}
