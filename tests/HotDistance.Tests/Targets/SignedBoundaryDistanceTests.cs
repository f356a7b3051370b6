using HotDistance.Core.Crops;
using HotDistance.Core.Targets;
using HotDistance.Core.Volumes;

namespace HotDistance.Tests.Targets;

public class SignedBoundaryDistanceTests
{
    public static TheoryData<int, int, int, double, double, double, double> Cases => new()
    {
        { 1, 1, 12, 8, 8, 8, 0.0 },
        { 1, 8, 9, 40, 8, 8, 0.0 },
        { 6, 1, 7, 3, 11, 2, 0.1 },
        { 7, 8, 9, 40, 8, 5.5, 0.0 },
        { 8, 7, 6, 2, 7, 30, 0.15 },
        { 9, 9, 9, 8, 8, 8, 0.05 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Equals_the_distance_to_the_opposite_cubes(int z, int y, int x, double vz, double vy, double vx, double unknownShare)
    {
        var labels = RandomLabels(new Shape3(z, y, x), unknownShare, seed: (z * 100) + (y * 10) + x);
        var voxel = new VoxelSize(vz, vy, vx);

        var fast = SignedBoundaryDistance.Compute(labels, voxel, maxDegreeOfParallelism: 2);

        var expected = BruteForce.SignedDistance(labels, voxel);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - fast.Data[i]) <= 1e-5 * Math.Max(1.0, Math.Abs(expected[i])),
                $"voxel {i} (label {labels.Data[i]}): expected {expected[i]}, got {fast.Data[i]}");
        }
    }

    [Fact]
    public void Boundary_lies_halfway_between_voxels_and_signs_follow_the_side()
    {
        // x < 3 present, x >= 3 absent on a 1x1x6 line at 10 nm.
        var labels = new Volume<byte>(new Shape3(1, 1, 6), [1, 1, 1, 0, 0, 0]);

        var d = SignedBoundaryDistance.Compute(labels, VoxelSize.Isotropic(10)).Data;

        Assert.Equal([25f, 15f, 5f, -5f, -15f, -25f], d);
    }

    [Fact]
    public void Unknown_voxels_make_no_boundary_and_get_zero()
    {
        // The unknown voxel between present and absent does not count as either.
        var labels = new Volume<byte>(new Shape3(1, 1, 5), [1, 1, LabelValues.Unknown, 0, 0]);

        var d = SignedBoundaryDistance.Compute(labels, VoxelSize.Isotropic(10)).Data;

        Assert.Equal([25f, 15f, 0f, -15f, -25f], d);
    }

    [Fact]
    public void Absent_class_is_minus_half_the_smallest_extent()
    {
        var labels = new Volume<byte>(new Shape3(4, 10, 20));
        labels.Data[7] = LabelValues.Unknown;

        var d = SignedBoundaryDistance.Compute(labels, new VoxelSize(40, 8, 4)).Data;

        // m = min(4*40, 10*8, 20*4) / 2 = 40 nm.
        Assert.Equal(0f, d[7]);
        Assert.All(d.Where((_, i) => i != 7), value => Assert.Equal(-40f, value));
    }

    [Fact]
    public void Class_filling_the_known_crop_is_plus_half_the_smallest_extent()
    {
        var labels = new Volume<byte>(new Shape3(6, 5, 3));
        Array.Fill(labels.Data, LabelValues.Present);
        labels.Data[0] = LabelValues.Unknown;

        var d = SignedBoundaryDistance.Compute(labels, new VoxelSize(4, 4, 10)).Data;

        Assert.Equal(0f, d[0]);
        Assert.All(d.Skip(1), value => Assert.Equal(10f, value));
    }

    [Fact]
    public void All_unknown_is_zero()
    {
        var labels = new Volume<byte>(new Shape3(2, 2, 2));
        Array.Fill(labels.Data, LabelValues.Unknown);

        Assert.All(SignedBoundaryDistance.Compute(labels, VoxelSize.Isotropic(8)).Data, value => Assert.Equal(0f, value));
    }

    internal static Volume<byte> RandomLabels(Shape3 shape, double unknownShare, int seed)
    {
        // Blobs rather than salt and pepper, so that there are voxels far from the boundary too.
        var random = new Random(seed);
        var centres = Enumerable.Range(0, 3)
            .Select(_ => (Z: random.NextDouble() * shape.Z, Y: random.NextDouble() * shape.Y, X: random.NextDouble() * shape.X, R: 1 + (random.NextDouble() * 3)))
            .ToArray();
        var labels = new Volume<byte>(shape);
        BruteForce.ForEachVoxel(shape, (z, y, x) =>
        {
            var inside = centres.Any(c => Math.Pow(z - c.Z, 2) + Math.Pow(y - c.Y, 2) + Math.Pow(x - c.X, 2) < c.R * c.R);
            var value = random.NextDouble() < unknownShare ? LabelValues.Unknown
                : random.NextDouble() < 0.05 ? (byte)(inside ? 0 : 1)
                : inside ? LabelValues.Present : LabelValues.Absent;
            labels[z, y, x] = value;
        });
        labels.Data[0] = LabelValues.Present;
        labels.Data[^1] = LabelValues.Absent;
        return labels;
    }
}
