using HotDistance.Core.Crops;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Evaluator;
using HotDistance.Learning.Inference;
using HotDistance.Learning.Tasks;

namespace HotDistance.Tests.Evaluator;

public class ThresholdTuningTests
{
    [Fact]
    public void Validation_crops_come_only_from_training_crops_in_the_store_never_held_out_ones()
    {
        var stored = new[]
        {
            Stored("c-a", CropSplits.Train), Stored("c-b", CropSplits.Train), Stored("c-c", CropSplits.Train), Stored("c-d", CropSplits.Train),
            Stored("h-1", CropSplits.HeldOut), Stored("h-2", CropSplits.HeldOut),
        };
        // A training list that (wrongly) names held-out crops and a crop the store does not hold.
        string[] training = ["c-d", "h-1", "c-b", "h-2", "c-a", "gone", "c-c"];

        var all = ValidationCrops.Select(stored, training, fraction: 1.0, maxCrops: 10);
        var quarter = ValidationCrops.Select(stored, training, fraction: 0.25, maxCrops: 10);
        var capped = ValidationCrops.Select(stored, training, fraction: 1.0, maxCrops: 2);

        Assert.Equal(["c-a", "c-b", "c-c", "c-d"], all.Select(c => c.CropId));
        Assert.Equal(["c-a"], quarter.Select(c => c.CropId));
        Assert.Equal(["c-a", "c-b"], capped.Select(c => c.CropId));
        Assert.Empty(ValidationCrops.Select(stored, ["h-1", "h-2"], 1.0, 10));
    }

    [Fact]
    public void The_one_hot_threshold_that_scores_best_on_the_validation_crops_is_chosen_per_class()
    {
        var crop = SyntheticCropGenerator.Generate(new SyntheticCropSpec("v", 4, new Shape3(16, 16, 16), VoxelSize.Isotropic(8), SyntheticCropGenerator.Classes));
        var er = crop.Labels["er"].Mask;
        // Present voxels at 0.75; a slab of absent voxels at 0.6 that the default 0.5 would wrongly include.
        var probability = new float[er.Data.Length];
        for (var i = 0; i < probability.Length; i++)
        {
            probability[i] = er.Data[i] == LabelValues.Absent ? (i < probability.Length / 2 ? 0.6f : 0.1f) : 0.75f;
        }

        var prediction = new Prediction(["er"], [new Volume<float>(er.Shape, probability)], null);

        var tuned = ThresholdTuner.Tune(new OneHotTask(), ["er"], [(crop, prediction)], new HashSet<string>(StringComparer.Ordinal), [0.3, 0.4, 0.5, 0.6, 0.7], [0.5]);

        var thresholds = tuned["er"];
        Assert.True(thresholds.Tuned);
        Assert.Equal(0.6, thresholds.ProbabilityThreshold);
        Assert.Equal(1.0, thresholds.ValidationScore!.Value, 9);
    }

    [Fact]
    public void A_class_no_validation_crop_annotates_keeps_the_defaults()
    {
        var crop = SyntheticCropGenerator.Generate(new SyntheticCropSpec("v", 5, new Shape3(8, 8, 8), VoxelSize.Isotropic(8), ["er"]));
        var prediction = new Prediction(["mito"], [new Volume<float>(crop.Shape)], null);

        var tuned = ThresholdTuner.Tune(new OneHotTask(), ["mito"], [(crop, prediction)], new HashSet<string>(StringComparer.Ordinal), [0.3, 0.7], [0.5]);

        Assert.False(tuned["mito"].Tuned);
        Assert.Equal(0.5, tuned["mito"].ProbabilityThreshold);
    }

    private static StoredCrop Stored(string id, string split) =>
        new(id, "hash-" + id, "name-" + id, split, ["er"], [8, 8, 8], [8, 8, 8], "/x/" + id, DateTimeOffset.UnixEpoch);
}
