using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Hosting;
using HotDistance.Learning.Model;
using HotDistance.Learning.Training;
using HotDistance.Trainer;
using MassTransit;

namespace HotDistance.Tests.Pipeline;

/// <summary>What the tests of a whole pipeline on the in-process bus share: tiny training, and crops to feed it.</summary>
internal static class InProcessPipeline
{
    /// <summary>Settings for a workspace whose generations train in seconds (4 steps of a one-level U-Net).</summary>
    public static HostSettings Settings(string workspace) => new()
    {
        Pipeline = new PipelineSettings { Workspace = workspace },
        Trainer = new TrainerSettings
        {
            Debounce = TimeSpan.FromMilliseconds(500),
            Training = new TrainingSettings { Steps = 4, PatchSize = 16, BatchSize = 1, Architecture = new ModelArchitecture(4, 2, [[2, 2, 2]]) },
        },
    };

    /// <summary>Writes a synthetic 24^3 CellMap crop (mito and er annotated) under incoming/ and returns its path.</summary>
    public static string WriteCrop(TempDirectory temp, string name, int seed)
    {
        var path = temp.Combine("incoming", $"{name}.zarr");
        CellMapCropWriter.Write(
            SyntheticCropGenerator.Generate(new SyntheticCropSpec(name, seed, new Shape3(24, 24, 24), VoxelSize.Isotropic(8), SyntheticCropGenerator.Classes)), path, "crop1");
        return path;
    }

    /// <summary>Asks for one held-out and one training crop (seeds 1 and 2): enough for a first generation.</summary>
    public static async Task IngestFirstCropsAsync(IBus bus, TempDirectory temp)
    {
        await bus.Publish(new IngestRequested(WriteCrop(temp, "held", seed: 1), CropSplits.HeldOut, DateTimeOffset.UtcNow));
        await bus.Publish(new IngestRequested(WriteCrop(temp, "train", seed: 2), CropSplits.Train, DateTimeOffset.UtcNow));
    }
}
