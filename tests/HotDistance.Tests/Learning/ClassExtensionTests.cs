using System.Globalization;
using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Evaluator;
using HotDistance.Learning.Training;
using Xunit.Abstractions;

namespace HotDistance.Tests.Learning;

/// <summary>
/// A lab adds a class to a trained pipeline: the model trained on mito, warm-started with grown heads for mito and
/// er, keeps its held-out mito score while it learns er. (The example adds nuc; the synthetic crops annotate
/// mito and er, so er is the class added here.)
/// </summary>
[Collection(LearningRunsDefinition.Name)]
public sealed class ClassExtensionTests(ITestOutputHelper output)
{
    private const int TrainingCrops = 4;
    private const double AllowedMitoLoss = 0.03;
    private const double RequiredErDice = 0.6;

    private static readonly TrainingSettings Settings = LearningTests.Settings with { Steps = 400 };

    [Fact]
    public async Task A_mito_model_extended_with_er_keeps_its_mito_score_while_learning_er()
    {
        using var temp = new TempDirectory();
        var crops = Enumerable.Range(0, TrainingCrops + 2)
            .Select(i => SyntheticCropGenerator.Generate(new SyntheticCropSpec($"extend-{i}", 900 + i, new Shape3(32, 32, 32), VoxelSize.Isotropic(8), SyntheticCropGenerator.Classes)))
            .ToList();
        var training = crops.Take(TrainingCrops).Select(c => new TrainingCrop(c.Name, CropContentHash.Compute(c), c)).ToList();
        var heldOut = crops.Skip(TrainingCrops).ToList();

        var mitoOnly = await new VariantTrainer(Settings).RunAsync(
            new TrainingJob(Variants.OneHot, [SyntheticCropGenerator.Mito], training, temp.Combine("mito")), null, CancellationToken.None);
        var extended = await new VariantTrainer(Settings with { Steps = 300 }).RunAsync(
            new TrainingJob(Variants.OneHot, SyntheticCropGenerator.Classes, training, temp.Combine("mito-er"), mitoOnly.CheckpointDirectory), null, CancellationToken.None);

        var before = Score(mitoOnly, heldOut, temp.Combine("mito"));
        var after = Score(extended, heldOut, temp.Combine("mito-er"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"held-out Dice: mito {before[SyntheticCropGenerator.Mito]:F3} -> {after[SyntheticCropGenerator.Mito]:F3}; er {before[SyntheticCropGenerator.Er]:F3} -> {after[SyntheticCropGenerator.Er]:F3}"));

        Assert.Equal(mitoOnly.CheckpointDirectory, extended.Metadata.WarmStartedFrom);
        Assert.Equal(0, before[SyntheticCropGenerator.Er]); // the first model does not predict er: scored as empty
        Assert.True(
            after[SyntheticCropGenerator.Mito] >= before[SyntheticCropGenerator.Mito] - AllowedMitoLoss,
            string.Create(CultureInfo.InvariantCulture, $"mito fell from {before[SyntheticCropGenerator.Mito]:F3} to {after[SyntheticCropGenerator.Mito]:F3} when er was added"));
        Assert.True(after[SyntheticCropGenerator.Er] > RequiredErDice, string.Create(CultureInfo.InvariantCulture, $"er reached Dice {after[SyntheticCropGenerator.Er]:F3}; it must exceed {RequiredErDice}"));
    }

    /// <summary>Held-out Dice per class, scored by the evaluator on the pipeline's classes (mito and er).</summary>
    private static Dictionary<string, double> Score(TrainingResult result, IReadOnlyList<Crop> heldOut, string directory)
    {
        var scored = ModelScorer.Score(
            new ScoringCandidate(Variants.OneHot, ModelRoles.Challenger, directory, result.CheckpointDirectory, result.Metadata.ModelSha256),
            heldOut,
            new PipelineSettings { Workspace = directory },
            exampleCrops: 0,
            CancellationToken.None);
        return scored.Report.Classes.ToDictionary(c => c.ClassName, c => c.Dice, StringComparer.Ordinal);
    }
}
