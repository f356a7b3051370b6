using System.Text.Json.Nodes;
using HotDistance.Core.Volumes;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Inference;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Training;

namespace HotDistance.Tests.Learning;

public class CheckpointTests
{
    [Fact]
    public void Each_recorded_loss_keeps_its_step_when_steps_were_skipped()
    {
        var metadata = new CheckpointMetadata(
            "hot-distance", ["mito"], [8, 8, 8], 80, 1, HotDistance.Learning.Model.ModelArchitecture.Small, 6, 6, "g", null, [], [0.9, 0.7, 0.6, 0.5],
            "sha", null, "test", DateTimeOffset.UtcNow) { SkippedSteps = [2, 3] };

        Assert.Equal([(1, 0.9), (4, 0.7), (5, 0.6), (6, 0.5)], metadata.LossPerStep().ToList());
    }

    [Fact]
    public async Task A_trained_checkpoint_loads_back_to_the_same_predictions_every_time()
    {
        TorchRuntime.EnsureLoaded();
        using var temp = new TempDirectory();
        var result = await new VariantTrainer(TinyTraining.Settings(steps: 3)).RunAsync(TinyTraining.Job(temp.Path), null, CancellationToken.None);

        // 17 voxels is not a multiple of the network's downsampling, so the predictor must pad and cut back.
        var raw = TinyTraining.Crop(seed: 99, size: 17).Raw;
        var (first, metadata) = Checkpoint.Load(result.CheckpointDirectory);
        var (second, _) = Checkpoint.Load(result.CheckpointDirectory);
        Prediction a, b;
        using (first)
        using (second)
        {
            a = CropPredictor.Predict(first, raw, metadata.Classes);
            b = CropPredictor.Predict(second, raw, metadata.Classes);
        }

        Assert.Equal(result.Metadata.ModelSha256, metadata.ModelSha256);
        Assert.Equal(result.Metadata.LossHistory, metadata.LossHistory);
        Assert.Equal(3, metadata.Step);
        Assert.Equal(3, metadata.LossHistory.Count);
        Assert.Equal(TinyTraining.Classes, metadata.Classes);
        Assert.Equal(2, a.OneHotProbabilities!.Count);
        Assert.Equal(2, a.Distances!.Count);
        for (var c = 0; c < 2; c++)
        {
            Assert.Equal(raw.Shape, a.OneHotProbabilities[c].Shape);
            Assert.Equal(raw.Shape, a.Distances[c].Shape);
            Assert.Equal(a.OneHotProbabilities[c].Data, b.OneHotProbabilities![c].Data);
            Assert.Equal(a.Distances[c].Data, b.Distances![c].Data);
            Assert.All(a.OneHotProbabilities[c].Data, p => Assert.InRange(p, 0f, 1f));
        }
    }

    [Theory]
    [InlineData(Checkpoint.ModelFile)]
    [InlineData(Checkpoint.OptimizerFile)]
    public async Task A_checkpoint_with_an_altered_file_is_refused(string file)
    {
        TorchRuntime.EnsureLoaded();
        using var temp = new TempDirectory();
        var trainer = new VariantTrainer(TinyTraining.Settings(steps: 1));
        var result = await trainer.RunAsync(TinyTraining.Job(temp.Path), null, CancellationToken.None);
        Assert.NotNull(Checkpoint.ReadVerified(result.CheckpointDirectory));

        var path = Path.Combine(result.CheckpointDirectory, file);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        Assert.Null(Checkpoint.ReadVerified(result.CheckpointDirectory));
        var refused = Assert.Throws<CheckpointException>(() => Checkpoint.Load(result.CheckpointDirectory));
        Assert.Equal(result.CheckpointDirectory, refused.Directory);

        // Rerunning the job does not trust the damaged model: it trains again and replaces it.
        var retrained = await trainer.RunAsync(TinyTraining.Job(temp.Path), null, CancellationToken.None);
        Assert.Equal(0, retrained.StartStep);
        Assert.Equal(result.CheckpointDirectory, retrained.CheckpointDirectory);
        Assert.NotNull(Checkpoint.ReadVerified(retrained.CheckpointDirectory));
        Assert.Equal(result.Metadata.ModelSha256, retrained.Metadata.ModelSha256);
    }

    [Fact]
    public void A_missing_or_unreadable_checkpoint_reads_as_null()
    {
        using var temp = new TempDirectory();
        Assert.Null(Checkpoint.ReadVerified(temp.Combine("nothing-here")));

        Directory.CreateDirectory(temp.Combine("garbled"));
        File.WriteAllText(temp.Combine("garbled", Checkpoint.ModelFile), "weights");
        File.WriteAllText(temp.Combine("garbled", Checkpoint.MetadataFile), "{ not json");
        Assert.Null(Checkpoint.ReadVerified(temp.Combine("garbled")));
        Assert.Throws<CheckpointException>(() => Checkpoint.Load(temp.Combine("garbled")));
    }

    [Theory]
    [InlineData("absent")]
    [InlineData("null")]
    public async Task A_checkpoint_that_records_no_intensity_normalisation_was_trained_on_the_dtype_range(string how)
    {
        TorchRuntime.EnsureLoaded();
        using var temp = new TempDirectory();
        var settings = TinyTraining.Settings(steps: 1) with { Intensity = IntensityNormalization.Percentiles() };
        var result = await new VariantTrainer(settings).RunAsync(TinyTraining.Job(temp.Path), null, CancellationToken.None);
        var path = Path.Combine(result.CheckpointDirectory, Checkpoint.MetadataFile);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject();
        Assert.Equal("Percentiles", json["Intensity"]!["Method"]!.GetValue<string>());

        if (how == "absent")
        {
            json.Remove("Intensity");
        }
        else
        {
            json["Intensity"] = null;
        }

        await File.WriteAllTextAsync(path, json.ToJsonString());

        Assert.Equal(IntensityNormalization.DtypeRange, Checkpoint.ReadVerified(result.CheckpointDirectory)!.Intensity);
    }

    [Fact]
    public async Task Leftover_staging_directories_are_never_taken_for_checkpoints()
    {
        TorchRuntime.EnsureLoaded();
        using var temp = new TempDirectory();
        var donor = await new VariantTrainer(TinyTraining.Settings(steps: 4, checkpointEvery: 2)).RunAsync(TinyTraining.Job(temp.Combine("donor")), null, CancellationToken.None);
        Assert.Empty(Directory.EnumerateDirectories(temp.Combine("donor"), "*.tmp", SearchOption.AllDirectories));

        // A crash between writing and renaming leaves complete, valid-looking checkpoints under staging names.
        var job = TinyTraining.Job(temp.Combine("job"));
        CopyDirectory(donor.CheckpointDirectory, Path.Combine(job.OutputDirectory, $".{VariantTrainer.FinalDirectory}.{Guid.NewGuid():N}.tmp"));
        CopyDirectory(
            Path.Combine(temp.Combine("donor"), VariantTrainer.StepsDirectory, "step-0000002"),
            Path.Combine(job.OutputDirectory, VariantTrainer.StepsDirectory, $".step-0000002.{Guid.NewGuid():N}.tmp"));

        var result = await new VariantTrainer(TinyTraining.Settings(steps: 4, checkpointEvery: 2)).RunAsync(job, null, CancellationToken.None);

        Assert.Equal(0, result.StartStep);
        Assert.Equal(Path.Combine(job.OutputDirectory, VariantTrainer.FinalDirectory), result.CheckpointDirectory);
        Assert.Equal(4, result.Metadata.LossHistory.Count);
        Assert.NotNull(Checkpoint.ReadVerified(result.CheckpointDirectory));
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }
}
