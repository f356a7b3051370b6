using System.Diagnostics;
using System.Globalization;
using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.Metrics;
using HotDistance.Core.PostProcessing;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Inference;
using HotDistance.Learning.Model;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Tasks;
using HotDistance.Learning.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace HotDistance.Tests.Learning;

/// <summary>
/// Does training learn? Each variant trains on six synthetic 40^3 crops that annotate mitochondria and is
/// scored, the way the evaluator scores, on two crops it never saw: the mitochondria mask must reach Dice 0.8.
/// CPU-sized: 600 steps of two 24^3 patches with the default network and learning rate, about 25 s per variant
/// on two idle cores (65 s for all three). Everything is seeded, so a run gives the same scores every time.
/// </summary>
[Collection(LearningRunsDefinition.Name)]
public class LearningTests(ITestOutputHelper output)
{
    private const double RequiredDice = 0.8;
    private const int TrainingCrops = 6;
    private const int HeldOutCrops = 2;

    private static readonly Lazy<IReadOnlyList<Crop>> Crops = new(() =>
        Enumerable.Range(0, TrainingCrops + HeldOutCrops)
            .Select(i => SyntheticCropGenerator.Generate(new SyntheticCropSpec(
                $"learning-{i}",
                Seed: 500 + i,
                new Shape3(40, 40, 40),
                VoxelSize.Isotropic(8),
                [SyntheticCropGenerator.Mito])))
            .ToList());

    internal static readonly TrainingSettings Settings = new()
    {
        Steps = 600,
        PatchSize = 24,
        BatchSize = 2,
        Seed = 42,
        Architecture = ModelArchitecture.Small,
        CheckpointEvery = 10_000,
        Device = ComputeDevices.Cpu,
    };

    [Theory]
    [InlineData(Variants.OneHot)]
    [InlineData(Variants.Distance)]
    [InlineData(Variants.HotDistance)]
    public async Task Each_variant_segments_mitochondria_of_held_out_crops_with_Dice_above_0_8(string variant)
    {
        using var temp = new TempDirectory();
        var crops = Crops.Value;
        var training = crops.Take(TrainingCrops).Select(c => new TrainingCrop(c.Name, CropContentHash.Compute(c), c)).ToList();
        var clock = Stopwatch.StartNew();

        var result = await new VariantTrainer(Settings).RunAsync(
            new TrainingJob(variant, [SyntheticCropGenerator.Mito], training, temp.Path), null, CancellationToken.None);

        var trained = clock.Elapsed;
        var score = ScoreHeldOut(result.CheckpointDirectory, crops.Skip(TrainingCrops).ToList());
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{variant}: held-out mito Dice {score.Dice:F3} (precision {score.Precision:F3}, recall {score.Recall:F3}, instance F1 {score.F1:F3}); loss {result.Metadata.LossHistory.Take(20).Average():F4} -> {result.Metadata.LossHistory.TakeLast(20).Average():F4}; trained in {trained.TotalSeconds:F1} s, scored in {(clock.Elapsed - trained).TotalSeconds:F1} s"));
        Assert.Equal(HeldOutCrops, score.CropCount);
        Assert.True(
            score.Dice > RequiredDice,
            string.Create(CultureInfo.InvariantCulture, $"{variant} reached held-out Dice {score.Dice:F3} (precision {score.Precision:F3}, recall {score.Recall:F3}); it must exceed {RequiredDice}"));
    }

    /// <summary>Predicts, post-processes with the model's own task and pools the counts, as the evaluator does.</summary>
    private static ClassScore ScoreHeldOut(string checkpointDirectory, IReadOnlyList<Crop> heldOut)
    {
        var (model, metadata) = Checkpoint.Load(checkpointDirectory);
        using (model)
        {
            var task = SegmentationTasks.Create(metadata.Variant, metadata.DistanceLambda);
            var scorer = new SegmentationScorer();
            foreach (var crop in heldOut)
            {
                var prediction = CropPredictor.Predict(model, crop.Raw, metadata.Classes, CPU);
                var mito = task.PostProcess(prediction, 0, withInstances: true, new PostProcessingOptions());
                scorer.AddCrop(crop, new Dictionary<string, ClassPrediction> { [SyntheticCropGenerator.Mito] = mito });
            }

            return scorer.CreateReport().Classes.Single();
        }
    }
}
