using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Learning.Model;
using HotDistance.Learning.Training;

namespace HotDistance.Tests.Learning;

/// <summary>
/// The smallest training setup that still exercises the real code: 16^3 synthetic crops, a one-level U-Net
/// with four base features, one patch per step. Keeps each training test well under a second of CPU.
/// </summary>
internal static class TinyTraining
{
    public static readonly ModelArchitecture Architecture = new(4, 2, [[2, 2, 2]]);

    public static readonly IReadOnlyList<string> Classes = [SyntheticCropGenerator.Mito, SyntheticCropGenerator.Er];

    public static TrainingSettings Settings(int steps, int checkpointEvery = 1000) => new()
    {
        Steps = steps,
        CheckpointEvery = checkpointEvery,
        PatchSize = 16,
        BatchSize = 1,
        Architecture = Architecture,
        MutuallyExclusive = [],
    };

    public static Crop Crop(int seed, int size = 16, params string[] annotated) =>
        SyntheticCropGenerator.Generate(new SyntheticCropSpec(
            $"tiny-{seed}",
            seed,
            new Shape3(size, size, size),
            VoxelSize.Isotropic(8),
            annotated.Length > 0 ? annotated : Classes));

    public static TrainingCrop TrainingCrop(Crop crop)
    {
        var hash = CropContentHash.Compute(crop);
        return new TrainingCrop("c" + hash[..12], hash, crop);
    }

    public static TrainingJob Job(
        string outputDirectory,
        string variant = Variants.HotDistance,
        IReadOnlyList<string>? classes = null,
        string? warmStart = null) =>
        new(variant, classes ?? Classes, [TrainingCrop(Crop(7)), TrainingCrop(Crop(8))], outputDirectory, warmStart, "gen-test");
}
