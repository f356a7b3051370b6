using HotDistance.Contracts;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Training;
using HotDistance.SiteAgent;
using HotDistance.Tests.Learning;
using static TorchSharp.torch;

namespace HotDistance.Tests.SiteAgent;

/// <summary>A model segments with the thresholds and instance classes stored with it, not with defaults.</summary>
public class StoredPostProcessingTests
{
    [Fact]
    public async Task Segment_uses_each_class_threshold_and_the_instance_classes_stored_in_the_checkpoint()
    {
        using var temp = new TempDirectory();
        var trained = await new VariantTrainer(TinyTraining.Settings(steps: 2)).RunAsync(TinyTraining.Job(temp.Combine("job"), Variants.OneHot), null, CancellationToken.None);
        var crop = TinyTraining.Crop(11);

        // Threshold 0 keeps every voxel (a sigmoid is above 0 everywhere), threshold 1 none.
        Checkpoint.AttachPostProcessing(trained.CheckpointDirectory, new ModelPostProcessing(
            new Dictionary<string, ClassThresholds>
            {
                ["mito"] = new(ProbabilityThreshold: 0, DistanceThreshold: 0, SeedThreshold: 0.5, Tuned: true, ValidationScore: 0.7),
                ["er"] = new(ProbabilityThreshold: 1, DistanceThreshold: 0, SeedThreshold: 0.5, Tuned: true, ValidationScore: 0.6),
            },
            InstanceClasses: ["mito"]));

        using var model = LoadedModel.FromDirectory(trained.CheckpointDirectory, version: null, expectedSha256: trained.Metadata.ModelSha256);
        var segmentation = model.Segment(crop.Raw, crop.RawMaximum, instanceClasses: null, fallbackInstanceClasses: [], CPU);

        Assert.All(segmentation.Classes["mito"].Mask.Data, v => Assert.Equal(1, v));
        Assert.NotNull(segmentation.Classes["mito"].Instances);
        Assert.All(segmentation.Classes["er"].Mask.Data, v => Assert.Equal(0, v));
        Assert.Null(segmentation.Classes["er"].Instances);
    }
}
