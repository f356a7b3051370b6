using HotDistance.Core.Metrics;
using HotDistance.Core.Volumes;

namespace HotDistance.Tests.Metrics;

public class HausdorffDistanceTests
{
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
}
