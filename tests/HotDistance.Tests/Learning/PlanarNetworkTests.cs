using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Inference;
using HotDistance.Learning.Model;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Tasks;
using HotDistance.Learning.Training;
using static TorchSharp.torch;

namespace HotDistance.Tests.Learning;

/// <summary>The 2D network for thin stacks: it trains on crops of a few slices and predicts crops of any depth.</summary>
public class PlanarNetworkTests
{
    private static readonly VoxelSize Voxel = new(40, 8, 8);

    [Fact]
    public async Task A_planar_model_trains_on_a_four_slice_crop_and_predicts_every_voxel_of_thin_crops()
    {
        TorchRuntime.EnsureLoaded();
        using var temp = new TempDirectory();
        var crop = Synthetic(new Shape3(4, 32, 32), seed: 11);
        var settings = new TrainingSettings { Steps = 3, BatchSize = 2, Architecture = ModelArchitecture.SmallPlanar, Device = ComputeDevices.Cpu };
        var job = new TrainingJob("hot-distance", SyntheticCropGenerator.Classes, [new TrainingCrop("thin", "hash", crop)], temp.Path);

        var result = await new VariantTrainer(settings).RunAsync(job, null, CancellationToken.None);

        Assert.Equal(3, result.Metadata.LossHistory.Count);
        Assert.All(result.Metadata.LossHistory, loss => Assert.True(double.IsFinite(loss)));
        var (model, metadata) = Checkpoint.Load(result.CheckpointDirectory);
        using (model)
        {
            Assert.True(metadata.Architecture.Planar);
            // One slice, the training depth, and sizes the in-plane downsampling (4) does not divide.
            foreach (var shape in new[] { new Shape3(1, 32, 32), new Shape3(4, 32, 32), new Shape3(3, 30, 34) })
            {
                var prediction = CropPredictor.Predict(model, Synthetic(shape, seed: 12).Raw, metadata.Classes, CPU);
                Assert.Equal(2, prediction.OneHotProbabilities!.Count);
                Assert.Equal(2, prediction.Distances!.Count);
                Assert.All(prediction.OneHotProbabilities.Concat(prediction.Distances), v => Assert.Equal(shape, v.Shape));
                Assert.All(prediction.OneHotProbabilities, v => Assert.All(v.Data, p => Assert.InRange(p, 0f, 1f)));
            }
        }
    }

    [Fact]
    public void A_planar_model_predicts_each_slice_from_that_slice_alone()
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(5);
        using var model = new UNet(ModelArchitecture.SmallPlanar, SegmentationTasks.Create("distance").Heads(1));
        var stack = Synthetic(new Shape3(3, 20, 20), seed: 13).Raw;

        var whole = CropPredictor.Predict(model, stack, ["mito"], CPU).Distances![0];

        var sliceVoxels = 20 * 20;
        for (var z = 0; z < 3; z++)
        {
            var slice = new Volume<float>(new Shape3(1, 20, 20), stack.Data.AsSpan(z * sliceVoxels, sliceVoxels).ToArray());
            var alone = CropPredictor.Predict(model, slice, ["mito"], CPU).Distances![0];
            for (var i = 0; i < sliceVoxels; i++)
            {
                Assert.Equal(alone.Data[i], whole.Data[(z * sliceVoxels) + i], 5);
            }
        }
    }

    [Fact]
    public void Patches_keep_the_crops_depth_when_it_is_less_than_the_patch_size_for_a_planar_network()
    {
        TorchRuntime.EnsureLoaded();
        var settings = new TrainingSettings();
        var task = SegmentationTasks.Create("one-hot");
        using var thin = CropTensors.Create(new TrainingCrop("thin", "hash", Synthetic(new Shape3(3, 40, 36), seed: 14)), ["mito"], task, settings);

        var sampler = new PatchSampler([thin], patchSize: 32, ModelArchitecture.SmallPlanar.TotalDownsample(), batchSize: 2, seed: 1, newCropWeight: 2);

        Assert.Equal([3L, 32, 32], sampler.PatchShape);
        using (NewDisposeScope())
        {
            var batch = sampler.Sample(0);
            Assert.Equal([2L, 1, 3, 32, 32], batch.Input.shape);
            Assert.Equal([2L, 1, 3, 32, 32], batch.Target.shape);
            Assert.Same(batch, batch.To(CPU));
        }

        var error = Assert.Throws<ArgumentException>(() =>
            new PatchSampler([thin], patchSize: 32, ModelArchitecture.Small.TotalDownsample(), batchSize: 2, seed: 1, newCropWeight: 2));
        Assert.Contains("along axis z", error.Message, StringComparison.Ordinal);
    }

    private static Core.Crops.Crop Synthetic(Shape3 shape, int seed) =>
        SyntheticCropGenerator.Generate(new SyntheticCropSpec($"thin-{seed}", seed, shape, Voxel, SyntheticCropGenerator.Classes));
}
