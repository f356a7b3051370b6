using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Evaluator;
using HotDistance.Learning.Model;
using HotDistance.Learning.Training;

namespace HotDistance.Tests.Evaluator;

public class ModelScorerExamplesTests
{
    [Fact]
    public async Task Scoring_keeps_middle_slices_of_the_first_crops_and_the_report_draws_them_with_the_loss()
    {
        using var temp = new TempDirectory();
        var crops = new[] { Synthetic("held-a", 7), Synthetic("held-b", 8) };
        var settings = new TrainingSettings { Steps = 2, PatchSize = 16, BatchSize = 1, Architecture = new ModelArchitecture(4, 2, [[2, 2, 2]]) };
        var job = new TrainingJob("one-hot", SyntheticCropGenerator.Classes, [new TrainingCrop("train", "hash", Synthetic("train", 6))], temp.Combine("train"));
        var trained = await new VariantTrainer(settings).RunAsync(job, null, CancellationToken.None);
        var pipeline = new PipelineSettings { Workspace = temp.Path };

        var scored = ModelScorer.Score(new ScoringCandidate("one-hot", ModelRoles.Challenger, "train", trained.CheckpointDirectory, trained.Metadata.ModelSha256), crops, pipeline, exampleCrops: 1, CancellationToken.None);

        var example = Assert.Single(scored.Examples!);
        Assert.Equal("held-a", example.CropName);
        Assert.Equal(["er", "mito"], example.Classes.Keys.Order(StringComparer.Ordinal));
        Assert.All(example.Classes.Values, slice =>
        {
            Assert.Equal(16 * 16, slice.Mask.Length);
            Assert.All(slice.Mask, v => Assert.True(v is 0 or 1));
        });
        Assert.Equal(16 * 16, example.Classes["mito"].Instances!.Length);

        var output = temp.Combine("report");
        var examples = new[] { CropSlice.Middle("cid-a", crops[0]) };
        var heldOut = new[] { new StoredCrop("cid-a", "h", "held-a", CropSplits.HeldOut, ["er", "mito"], [16, 16, 16], [8, 8, 8], "/x", DateTimeOffset.UnixEpoch) };
        EvaluationReport.Write(output, "gen-0001", [scored], scored.Score, "only model", heldOut, examples);

        Assert.Equal(2, trained.Metadata.LossHistory.Count);
        ReportImages.AssertPicture(Path.Combine(output, "loss.png"));
        ReportImages.AssertPicture(Path.Combine(output, "slices-cid-a.png"));
    }

    [Fact]
    public void A_crop_slice_is_the_middle_z_plane_of_raw_and_of_each_annotated_class()
    {
        var crop = Synthetic("c", 3);

        var slice = CropSlice.Middle("id", crop);

        Assert.Equal(8, slice.Z);
        var plane = 16 * 16;
        Assert.Equal(crop.Raw.Data.AsSpan(8 * plane, plane).ToArray(), slice.Raw);
        Assert.Equal(crop.Labels["mito"].Mask.Data.AsSpan(8 * plane, plane).ToArray(), slice.Truth["mito"].Mask);
        Assert.Equal(crop.Labels["mito"].Instances!.Data.AsSpan(8 * plane, plane).ToArray(), slice.Truth["mito"].Instances);
        Assert.Null(slice.Truth["er"].Instances);
    }

    private static Crop Synthetic(string name, int seed) =>
        SyntheticCropGenerator.Generate(new SyntheticCropSpec(name, seed, new Shape3(16, 16, 16), VoxelSize.Isotropic(8), SyntheticCropGenerator.Classes));
}
