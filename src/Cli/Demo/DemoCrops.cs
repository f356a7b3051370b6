using System.Globalization;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;

namespace HotDistance.Cli.Demo;

/// <summary>
/// The demo's built-in sample data: synthetic crops that, like real ones, annotate only some classes each,
/// and one that leaves a region unknown.
/// </summary>
public static class DemoCrops
{
    private static readonly string[][] Annotations =
    [
        [SyntheticCropGenerator.Mito, SyntheticCropGenerator.Er],
        [SyntheticCropGenerator.Mito],
        [SyntheticCropGenerator.Er],
        [SyntheticCropGenerator.Mito, SyntheticCropGenerator.Er],
        [SyntheticCropGenerator.Mito],
        [SyntheticCropGenerator.Mito, SyntheticCropGenerator.Er],
        [SyntheticCropGenerator.Er],
        [SyntheticCropGenerator.Mito, SyntheticCropGenerator.Er],
    ];

    public static IReadOnlyList<SyntheticCropSpec> Specs(int count, int size) =>
        Enumerable.Range(0, Math.Min(count, Annotations.Length))
            .Select(i => new SyntheticCropSpec(
                $"synthetic-{(i + 1).ToString("D2", CultureInfo.InvariantCulture)}",
                Seed: 1000 + i,
                new Shape3(size, size, size),
                VoxelSize.Isotropic(8),
                Annotations[i],
                WithUnknownSlab: i == 2))
            .ToList();
}
