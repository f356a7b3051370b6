using HotDistance.Core.Distances;
using HotDistance.Core.Volumes;
using HotDistance.Tests.Targets;

namespace HotDistance.Tests.Distances;

public class EuclideanDistanceTransformTests
{
    public static TheoryData<int, int, int, double, double, double, double> Cases => new()
    {
        { 1, 1, 1, 8, 8, 8, 0.5 },
        { 1, 1, 13, 4, 4, 4, 0.2 },
        { 1, 9, 7, 40, 8, 8, 0.1 },
        { 6, 1, 9, 3.5, 11, 2, 0.15 },
        { 6, 9, 11, 10, 3, 4.5, 0.03 },
        { 5, 7, 1, 16, 4, 64, 0.1 },
        { 7, 8, 9, 40, 8, 5.5, 0.05 },
        { 9, 6, 11, 2, 7, 30, 0.02 },
        { 4, 12, 10, 8, 8, 8, 0.4 },
        { 10, 10, 10, 8, 16, 4, 0.002 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Squared_distance_to_centres_equals_brute_force(int z, int y, int x, double vz, double vy, double vx, double density)
    {
        var features = RandomFeatures(new Shape3(z, y, x), density, seed: (z * 31) + (y * 7) + x);
        var voxel = new VoxelSize(vz, vy, vx);

        var fast = EuclideanDistanceTransform.Squared(features, voxel, FeatureGeometry.Centres, maxDegreeOfParallelism: 2);

        AssertClose(BruteForce.SquaredEdt(features, voxel, cubes: false), fast.Data);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Squared_distance_to_cubes_equals_brute_force(int z, int y, int x, double vz, double vy, double vx, double density)
    {
        var features = RandomFeatures(new Shape3(z, y, x), density, seed: (z * 13) + (y * 5) + x + 1);
        var voxel = new VoxelSize(vz, vy, vx);

        var fast = EuclideanDistanceTransform.Squared(features, voxel, FeatureGeometry.Cubes, maxDegreeOfParallelism: -1);

        AssertClose(BruteForce.SquaredEdt(features, voxel, cubes: true), fast.Data);
    }

    [Theory]
    [InlineData(FeatureGeometry.Centres)]
    [InlineData(FeatureGeometry.Cubes)]
    public void Arbitrary_initial_costs_are_min_plus_transformed(FeatureGeometry geometry)
    {
        var shape = new Shape3(5, 6, 7);
        var voxel = new VoxelSize(9, 4, 2.5);
        var random = new Random(3);
        var costs = new double[shape.Count];
        for (var i = 0; i < costs.Length; i++)
        {
            costs[i] = random.NextDouble() < 0.3 ? random.NextDouble() * 500 : double.PositiveInfinity;
        }

        var expected = new double[costs.Length];
        BruteForce.ForEachVoxel(shape, (z, y, x) =>
        {
            var best = double.PositiveInfinity;
            BruteForce.ForEachVoxel(shape, (qz, qy, qx) =>
            {
                var step = geometry == FeatureGeometry.Cubes
                    ? BruteForce.SquaredToCube(voxel, z, y, x, qz, qy, qx)
                    : BruteForce.SquaredToCentres(voxel, z, y, x, qz, qy, qx);
                best = Math.Min(best, costs[shape.Index(qz, qy, qx)] + step);
            });
            expected[shape.Index(z, y, x)] = best;
        });

        EuclideanDistanceTransform.TransformInPlace(costs, shape, voxel, geometry);

        AssertClose(expected, costs);
    }

    [Fact]
    public void No_feature_voxel_gives_infinity_everywhere()
    {
        var features = new Volume<bool>(new Shape3(3, 4, 5));

        var centres = EuclideanDistanceTransform.Squared(features, VoxelSize.Isotropic(8));
        var cubes = EuclideanDistanceTransform.Squared(features, VoxelSize.Isotropic(8), FeatureGeometry.Cubes);

        Assert.All(centres.Data, d => Assert.True(double.IsPositiveInfinity(d)));
        Assert.All(cubes.Data, d => Assert.True(double.IsPositiveInfinity(d)));
    }

    [Fact]
    public void Single_feature_gives_known_distances()
    {
        var features = new Volume<bool>(new Shape3(3, 3, 3));
        features[1, 1, 1] = true;
        var voxel = new VoxelSize(10, 4, 2);

        var centres = EuclideanDistanceTransform.Squared(features, voxel);
        var cubes = EuclideanDistanceTransform.Squared(features, voxel, FeatureGeometry.Cubes);

        Assert.Equal(0.0, centres[1, 1, 1]);
        Assert.Equal(100.0 + 16.0 + 4.0, centres[0, 0, 0]);
        Assert.Equal(4.0, centres[1, 1, 2]);
        Assert.Equal(0.0, cubes[1, 1, 1]);
        Assert.Equal(1.0, cubes[1, 1, 2]);
        Assert.Equal(25.0 + 4.0 + 1.0, cubes[2, 2, 0]);
    }

    [Fact]
    public void Thread_count_does_not_change_the_result()
    {
        var features = RandomFeatures(new Shape3(20, 30, 40), 0.01, seed: 5);
        var voxel = new VoxelSize(12, 5, 3);

        var single = EuclideanDistanceTransform.Squared(features, voxel, FeatureGeometry.Cubes, 1);
        var many = EuclideanDistanceTransform.Squared(features, voxel, FeatureGeometry.Cubes, -1);

        Assert.Equal(single.Data, many.Data);
    }

    [Fact]
    public void Costs_of_the_wrong_length_are_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            EuclideanDistanceTransform.TransformInPlace(new double[5], new Shape3(2, 2, 2), VoxelSize.Isotropic(1)));
        Assert.Contains("2x2x2", ex.Message, StringComparison.Ordinal);
    }

    internal static Volume<bool> RandomFeatures(Shape3 shape, double density, int seed)
    {
        var random = new Random(seed);
        var features = new Volume<bool>(shape);
        for (var i = 0; i < features.Data.Length; i++)
        {
            features.Data[i] = random.NextDouble() < density;
        }

        // Make sure a sparse draw still has something to measure to.
        features.Data[random.Next(features.Data.Length)] = true;
        return features;
    }

    internal static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (double.IsPositiveInfinity(expected[i]))
            {
                Assert.True(double.IsPositiveInfinity(actual[i]), $"voxel {i}: expected +inf, got {actual[i]}");
                continue;
            }

            var tolerance = 1e-9 * Math.Max(1.0, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"voxel {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
