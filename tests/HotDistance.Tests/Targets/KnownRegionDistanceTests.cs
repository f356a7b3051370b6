using HotDistance.Core.Targets;
using HotDistance.Core.Volumes;

namespace HotDistance.Tests.Targets;

public class KnownRegionDistanceTests
{
    [Fact]
    public void Known_region_distance_equals_brute_force_with_frame_and_unknowns()
    {
        var shape = new Shape3(6, 9, 7);
        var voxel = new VoxelSize(24, 6, 9);
        var labels = SignedBoundaryDistanceTests.RandomLabels(shape, 0.04, seed: 11);

        var fast = KnownRegionDistance.Compute(labels, voxel, 2).Data;

        var expected = BruteForce.KnownRegion(labels, voxel);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - fast[i]) <= 1e-4, $"voxel {i}: expected {expected[i]}, got {fast[i]}");
        }
    }

    [Fact]
    public void Known_region_distance_without_unknowns_is_the_distance_to_the_frame()
    {
        var labels = new Volume<byte>(new Shape3(3, 5, 8));

        var e = KnownRegionDistance.Compute(labels, new VoxelSize(10, 4, 4));

        Assert.Equal(10f, e[0, 2, 4]); // z = 0: one 10 nm step to the frame
        Assert.Equal(4f, e[1, 2, 7]); // last x: one 4 nm step
        Assert.Equal(8f, e[1, 1, 3]); // y = 1: two 4 nm steps; z gives 20, x gives 16
    }
}
