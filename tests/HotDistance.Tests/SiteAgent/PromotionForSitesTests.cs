using HotDistance.Contracts;
using HotDistance.Core.IO;
using HotDistance.Core.Registry;
using HotDistance.Core.Security;
using HotDistance.Learning.Checkpoints;
using HotDistance.Publisher;
using HotDistance.Tests.Infrastructure;
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
    public async Task Only_the_evaluators_own_winner_a_checkpoint_under_generations_without_links_with_the_scored_sha_is_promoted()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));
        var promoter = new Promoter(models.Workspace, models.Pipeline, models.Registry, NullLogger<Promoter>.Instance);
        var trained = models.SaveCheckpoint(7);
        var genuine = RecordedEvaluations.Winner(models.Workspace, "gen-7", Variants.HotDistance, 0.9, number: 7);

        var outside = temp.Combine("elsewhere", "final");
        CopyDirectory(trained, outside);
        var linked = Path.Combine(models.Workspace.Root, CheckpointReferences.Trained("gen-8", Variants.HotDistance));
        Directory.CreateDirectory(Path.GetDirectoryName(linked)!);
        Directory.CreateSymbolicLink(linked, outside);
        var refusals = new (EvaluationCompleted Message, bool RecordIt, string Reason)[]
        {
            (genuine with { EvaluationId = "eval-unknown" }, false, "is not recorded in the workspace"),
            (genuine with { Winner = genuine.Winner! with { Checkpoint = outside } }, false, "but the evaluator recorded"),
            (genuine with { Winner = genuine.Winner! with { ModelSha256 = new string('0', 64) } }, false, "but the evaluator recorded"),
            (genuine with { EvaluationId = "eval-outside", Winner = genuine.Winner! with { Checkpoint = outside } }, true, "is not a trained checkpoint's reference"),
            (genuine with { EvaluationId = "eval-dots", Winner = genuine.Winner! with { Checkpoint = "generations/../../elsewhere/final" } }, true, "is not a trained checkpoint's reference"),
            (genuine with { EvaluationId = "eval-link", GenerationId = "gen-8", Winner = genuine.Winner! with { Checkpoint = CheckpointReferences.Trained("gen-8", Variants.HotDistance) } }, true, "holds a link"),
        };

        foreach (var (message, recordIt, reason) in refusals)
        {
            if (recordIt)
            {
                RecordedEvaluations.Record(models.Workspace, message);
            }

            var error = await Assert.ThrowsAsync<UntrustedInputException>(() => promoter.PromoteAsync(message, CancellationToken.None));
            Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        }

        // Weights and checkpoint.json edited together after the evaluation: the checkpoint verifies, but not as scored.
        var tampered = temp.Combine("tampered");
        models.SaveCheckpoint(9);
        CopyDirectory(Path.Combine(models.Workspace.Root, CheckpointReferences.Trained("gen-9", Variants.HotDistance)), tampered);
        Directory.Delete(trained, recursive: true);
        CopyDirectory(tampered, trained);
        var mismatch = await Assert.ThrowsAsync<UntrustedInputException>(() => promoter.PromoteAsync(genuine, CancellationToken.None));
        Assert.Contains($"not the {genuine.Winner!.ModelSha256} the message vouches for", mismatch.Message, StringComparison.Ordinal);

        Assert.Empty(await models.Registry.ListVersionsAsync(models.Pipeline.ModelName, CancellationToken.None));
        Assert.False(Directory.Exists(models.Workspace.Promotions) && Directory.EnumerateFiles(models.Workspace.Promotions, "*.json").Any());
        Assert.Equal(1, (await models.PromoteAsync(1)).Version);
    }

    [Fact]
    public async Task A_declined_promotion_is_recorded_with_its_reason_and_moves_no_alias()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Path);
        await models.PromoteAsync(1);
        var promoter = new Promoter(models.Workspace, models.Pipeline, models.Registry, NullLogger<Promoter>.Instance);
        var evaluation = RecordedEvaluations.Record(
            models.Workspace, new EvaluationCompleted("eval-2", "gen-2", 2, [], null, "no challenger beats the champion by 0.01", [], [], "report.html", DateTimeOffset.UtcNow));

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

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
