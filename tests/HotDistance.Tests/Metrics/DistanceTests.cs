using HotDistance.Core.Metrics;
using HotDistance.Core.Volumes;

namespace HotDistance.Tests.Metrics;

public class DistanceTests
{
    [Fact]
    public void Distance_transform_matches_brute_force_with_anisotropic_voxels()
    {
        var shape = new Shape3(6, 9, 11);
        var voxel = new VoxelSize(10, 3, 4.5);
        var features = TestVolumes.Random(shape, 0.03, seed: 5);
        var points = Enumerable.Range(0, features.Data.Length).Where(i => features.Data[i] != 0).Select(Coordinates(shape)).ToList();
        Assert.NotEmpty(points);

        var distances = EuclideanDistanceTransform.DistanceToFeatures(features, voxel);

        for (var i = 0; i < distances.Data.Length; i++)
        {
            var (z, y, x) = Coordinates(shape)(i);
            var expected = points.Min(p => Math.Sqrt(Sq((z - p.Z) * voxel.Z) + Sq((y - p.Y) * voxel.Y) + Sq((x - p.X) * voxel.X)));
            Assert.Equal(expected, distances.Data[i], 3);
        }
    }

    [Fact]
    public void Distance_transform_without_features_is_infinite()
    {
        var distances = EuclideanDistanceTransform.DistanceToFeatures(new Volume<byte>(new Shape3(2, 3, 4)), VoxelSize.Isotropic(4));

        Assert.All(distances.Data, d => Assert.True(float.IsPositiveInfinity(d)));
    }

    [Fact]
    public void Hausdorff_of_a_shifted_box_with_anisotropic_voxels()
    {
        var shape = new Shape3(16, 16, 16);
        var voxel = new VoxelSize(8, 4, 4);
        var truth = TestVolumes.Box(shape, 4, 8, 4, 12, 4, 12);
        var shifted = TestVolumes.Box(shape, 6, 10, 5, 13, 4, 12); // +2 in z (16 nm), +1 in y (4 nm)

        var distance = HausdorffDistance.Between(truth, shifted, voxel);

        // The truth corner at (z=4, y=4) is nearest to the shifted box's corner at (6, 5).
        Assert.Equal(Math.Sqrt(16 * 16 + 4 * 4), distance, 4);
    }

    [Fact]
    public void Hausdorff_is_the_larger_directed_distance()
    {
        var shape = new Shape3(1, 1, 20);
        var voxel = new VoxelSize(5, 5, 2);
        var small = TestVolumes.Box(shape, 0, 1, 0, 1, 4, 6);
        var large = TestVolumes.Box(shape, 0, 1, 0, 1, 2, 15); // reaches 9 voxels past the small one

        Assert.Equal(18.0, HausdorffDistance.Between(small, large, voxel), 6);
        Assert.Equal(18.0, HausdorffDistance.Between(large, small, voxel), 6);
    }

    [Fact]
    public void Hausdorff_of_empty_sets()
    {
        var shape = new Shape3(3, 3, 3);
        var empty = new Volume<byte>(shape);
        var one = TestVolumes.Box(shape, 1, 2, 1, 2, 1, 2);

        Assert.Equal(0.0, HausdorffDistance.Between(empty, empty, VoxelSize.Isotropic(1)));
        Assert.True(double.IsPositiveInfinity(HausdorffDistance.Between(one, empty, VoxelSize.Isotropic(1))));
    }

    private static double Sq(double v) => v * v;

    private static Func<int, (int Z, int Y, int X)> Coordinates(Shape3 shape) =>
        i => (i / (shape.Y * shape.X), i / shape.X % shape.Y, i % shape.X);
}
