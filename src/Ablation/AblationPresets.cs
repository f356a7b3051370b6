using System.Globalization;
using HotDistance.Core.Crops;
using HotDistance.Core.Crops.Thinning;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Learning.Training;

namespace HotDistance.Ablation;

/// <summary>
/// Grids that run on the built-in synthetic crops, with no data to bring: <c>readme</c>, the README's results (sized for
/// a 2-core CPU in under 30 minutes), and <c>smoke</c>, a minute-long check that the whole path works.
/// </summary>
public static class AblationPresets
{
    public const string Readme = "readme";
    public const string Smoke = "smoke";

    public static IReadOnlyList<string> Names { get; } = [Readme, Smoke];

    public static (AblationSettings Settings, SyntheticData Data) Get(string name) => name switch
    {
        Readme => (
            new AblationSettings
            {
                Lambdas = [0.1, 0.3, 1, 3],
                Densities =
                [
                    AnnotationDensity.Full,
                    new() { ClassesPerCrop = 1 },
                    new() { VoxelFraction = 0.25, Pattern = UnknownPattern.Blocks, BlockSize = 4 },
                ],
                Seeds = [1, 2, 3],
                Training = new TrainingSettings { Steps = 250, PatchSize = 24, BatchSize = 2, CheckpointEvery = 50 },
            },
            new SyntheticData(TrainingCrops: 6, HeldOutCrops: 6, Size: 32)),
        Smoke => (
            new AblationSettings
            {
                Lambdas = [1],
                Densities = [AnnotationDensity.Full, new() { ClassesPerCrop = 1 }],
                Seeds = [1, 2, 3],
                Training = new TrainingSettings { Steps = 4, PatchSize = 8, BatchSize = 1, CheckpointEvery = 2 },
                BootstrapResamples = 200,
            },
            new SyntheticData(TrainingCrops: 3, HeldOutCrops: 2, Size: 16)),
        _ => throw new ArgumentException($"--preset {name}: use one of {string.Join(", ", Names)}"),
    };
}

/// <summary>
/// Synthetic crops for a preset: training crops and held-out crops from separate seeds, every one annotating both
/// classes in full (the grid's densities remove annotation from the training crops only).
/// </summary>
public sealed record SyntheticData(int TrainingCrops, int HeldOutCrops, int Size)
{
    public IReadOnlyList<Crop> Training() => Make("train", 2000, TrainingCrops);

    public IReadOnlyList<Crop> HeldOut() => Make("heldout", 3000, HeldOutCrops);

    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"built-in synthetic crops ({SyntheticCropGenerator.Mito} as instances, {SyntheticCropGenerator.Er} as semantic), {TrainingCrops} for training and {HeldOutCrops} held out, {Size}³ voxels of 8 nm");

    private List<Crop> Make(string prefix, int seed, int count) =>
        Enumerable.Range(0, count)
            .Select(i => SyntheticCropGenerator.Generate(new SyntheticCropSpec(
                string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i + 1:D2}"),
                seed + i,
                new Shape3(Size, Size, Size),
                VoxelSize.Isotropic(8),
                SyntheticCropGenerator.Classes)))
            .ToList();
}
