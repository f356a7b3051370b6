using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.Registry;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Core.Tracking;
using HotDistance.Core.Workspace;
using HotDistance.Evaluator;
using HotDistance.Learning.Model;
using HotDistance.Learning.Training;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotDistance.Tests.Evaluator;

public class GenerationEvaluatorTests
{
    [Fact]
    public async Task Thresholds_are_tuned_on_training_crops_only_and_the_report_shows_the_score_history()
    {
        using var temp = new TempDirectory();
        var workspace = new WorkspaceLayout(temp.Combine("ws"));
        var store = new CropStore(workspace.Crops, 0.25);
        var train = new List<string>();
        for (var seed = 1; seed <= 3; seed++)
        {
            train.Add((await store.AddAsync(Synthetic($"train-{seed}", seed), CropSplits.Train, CancellationToken.None)).Entry.CropId);
        }

        var heldOut = new List<string>();
        for (var seed = 11; seed <= 12; seed++)
        {
            heldOut.Add((await store.AddAsync(Synthetic($"held-{seed}", seed), CropSplits.HeldOut, CancellationToken.None)).Entry.CropId);
        }

        var settings = new TrainingSettings { Steps = 2, PatchSize = 16, BatchSize = 1, Architecture = new ModelArchitecture(4, 2, [[2, 2, 2]]) };
        var job = new TrainingJob(Variants.OneHot, SyntheticCropGenerator.Classes, [new TrainingCrop(train[0], "hash", store.Load(train[0]))], workspace.Checkpoint("gen-0001", Variants.OneHot));
        var trained = await new VariantTrainer(settings).RunAsync(job, null, CancellationToken.None);
        var secondCopy = Path.Combine(workspace.Root, CheckpointReferences.Trained("gen-0002", Variants.OneHot));
        Directory.CreateDirectory(secondCopy);
        foreach (var file in Directory.EnumerateFiles(trained.CheckpointDirectory))
        {
            File.Copy(file, Path.Combine(secondCopy, Path.GetFileName(file)));
        }
        var pipeline = new PipelineSettings { Workspace = workspace.Root, MutuallyExclusive = [] };
        var evaluator = new GenerationEvaluator(
            workspace, pipeline, new EvaluatorSettings { ValidationFraction = 1.0, BootstrapResamples = 100 }, store,
            new LocalModelRegistry(workspace.Registry), NoExperimentTracker.Instance, NullLogger<GenerationEvaluator>.Instance);

        // The training list wrongly names the held-out crops too: tuning must still never see them.
        ModelTrained Trained(string generation, int number) => new(
            generation, number, Variants.OneHot, [Variants.OneHot], CheckpointReferences.Trained(generation, Variants.OneHot), trained.Metadata.ModelSha256, 2, 0.5, [.. train, .. heldOut], "test", DateTimeOffset.UtcNow);
        var first = await evaluator.EvaluateGenerationAsync("gen-0001", 1, [Trained("gen-0001", 1)], CancellationToken.None);
        var second = await evaluator.EvaluateGenerationAsync("gen-0002", 2, [Trained("gen-0002", 2)], CancellationToken.None);

        Assert.Equal(train.Order(StringComparer.Ordinal), second.ValidationCropIds!.Order(StringComparer.Ordinal));
        Assert.Empty(second.ValidationCropIds!.Intersect(second.HeldOutCropIds));
        Assert.Equal(heldOut.Order(StringComparer.Ordinal), second.HeldOutCropIds.Order(StringComparer.Ordinal));
        var thresholds = Assert.Single(second.Scores).Thresholds!;
        Assert.Equal(["er", "mito"], thresholds.Keys.Order(StringComparer.Ordinal));
        Assert.All(thresholds.Values, t => Assert.True(t.Tuned));
        Assert.Equal(Variants.OneHot, first.Winner!.Variant);
        Assert.NotNull(second.Decision);

        var directory = workspace.Evaluation("gen-0002");
        var history = Core.IO.AtomicFile.ReadJson<List<GenerationScores>>(Path.Combine(directory, ScoreHistory.JsonFile))!;
        Assert.Equal([1, 2], history.Select(h => h.GenerationNumber));
        ReportImages.AssertPicture(Path.Combine(directory, ScoreHistory.ChartFile));
        var html = await File.ReadAllTextAsync(Path.Combine(directory, EvaluationReport.ReportFile));
        Assert.Contains($"src=\"{ScoreHistory.ChartFile}\"", html, StringComparison.Ordinal);
        Assert.Contains("Post-processing thresholds", html, StringComparison.Ordinal);
    }

    private static Crop Synthetic(string name, int seed) =>
        SyntheticCropGenerator.Generate(new SyntheticCropSpec(name, seed, new Shape3(16, 16, 16), VoxelSize.Isotropic(8), SyntheticCropGenerator.Classes));
}
