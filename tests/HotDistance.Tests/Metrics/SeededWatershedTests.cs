using HotDistance.Core.Metrics;
using HotDistance.Core.PostProcessing;
using HotDistance.Core.Volumes;

namespace HotDistance.Tests.Metrics;

public class SeededWatershedTests
{
    private static readonly Shape3 Shape = new(24, 24, 40);
    private static readonly (int Z, int Y, int X) Left = (12, 12, 12);
    private static readonly (int Z, int Y, int X) Right = (12, 12, 27);
    private const double Radius = 8;

    /// <summary>Two spheres whose centres are 15 voxels apart with radius 8: they overlap at a thin neck.</summary>
    private static Volume<float> TwoSpheresHeight() =>
        TestVolumes.Build(Shape, (z, y, x) => (float)Math.Max(Radius - Distance(z, y, x, Left), Radius - Distance(z, y, x, Right)));

    private static double Distance(int z, int y, int x, (int Z, int Y, int X) c) =>
        Math.Sqrt((z - c.Z) * (z - c.Z) + (y - c.Y) * (y - c.Y) + (x - c.X) * (x - c.X));

    [Fact]
    public void Touching_spheres_merge_by_threshold_but_split_by_watershed()
    {
        var height = TwoSpheresHeight();
        var mask = Thresholding.Above(height, 0f);

        var components = ConnectedComponents.Label(mask);
        var watershed = SeededWatershed.Segment(height, mask, seedThreshold: 4f);

        Assert.Equal(1, components.Count);
        Assert.Equal(2, watershed.Count);
        var leftId = watershed.Labels[Left.Z, Left.Y, Left.X];
        var rightId = watershed.Labels[Right.Z, Right.Y, Right.X];
        Assert.NotEqual(leftId, rightId);
        for (var z = 0; z < Shape.Z; z++)
        {
            for (var y = 0; y < Shape.Y; y++)
            {
                for (var x = 0; x < Shape.X; x++)
                {
                    var expected = mask[z, y, x] == 0 ? 0u
                        : Distance(z, y, x, Left) < Distance(z, y, x, Right) ? leftId : rightId;
                    Assert.Equal(expected, watershed.Labels[z, y, x]);
                }
            }
        }
    }

    [Fact]
    public void Watershed_instances_match_truth_where_connected_components_do_not()
    {
        var height = TwoSpheresHeight();
        var mask = Thresholding.Above(height, 0f);
        var truth = TestVolumes.Build(Shape, (z, y, x) =>
            mask[z, y, x] == 0 ? 0u : Distance(z, y, x, Left) < Distance(z, y, x, Right) ? 1u : 2u);
        var voxel = VoxelSize.Isotropic(8);

        var byComponents = InstanceEvaluator.Evaluate(truth, ConnectedComponents.Label(mask).Labels, voxel);
        var byWatershed = InstanceEvaluator.Evaluate(truth, ClassPostProcessor.FromDistance(height, withInstances: true, new PostProcessingOptions { SeedThreshold = 4f }).Instances!, voxel);

        Assert.Equal(2.0 / 3.0, byComponents.Counts.F1, 12);
        Assert.Equal(1.0, byWatershed.Counts.F1);
        Assert.Equal(1.0, byWatershed.Counts.Combined, 12);
    }

    [Fact]
    public void Unseeded_components_become_their_own_instances_unless_disabled()
    {
        var shape = new Shape3(1, 1, 12);
        // A tall bump (seeded) and, separated by background, a low bump that never passes the seed threshold.
        float[] t = [0.1f, 0.6f, 0.9f, 0.6f, 0.1f, -1f, -1f, 0.1f, 0.2f, 0.1f, -1f, -1f];
        var height = new Volume<float>(shape, t);
        var mask = Thresholding.Above(height, 0f);

        var withLeftovers = SeededWatershed.Segment(height, mask, 0.5f);
        var seedsOnly = SeededWatershed.Segment(height, mask, 0.5f, labelUnseededComponents: false);

        Assert.Equal(2, withLeftovers.Count);
        Assert.Equal([1u, 1, 1, 1, 1, 0, 0, 2, 2, 2, 0, 0], withLeftovers.Labels.Data);
        Assert.Equal(1, seedsOnly.Count);
        Assert.Equal([1u, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], seedsOnly.Labels.Data);
    }

    [Fact]
    public void Flooding_stops_at_the_mask_and_splits_a_valley_between_two_seeds()
    {
        var shape = new Shape3(1, 1, 9);
        float[] t = [0.9f, 0.7f, 0.5f, 0.3f, 0.2f, 0.35f, 0.8f, 0.9f, 0.9f];
        byte[] m = [1, 1, 1, 1, 1, 1, 1, 1, 0];
        var result = SeededWatershed.Segment(new Volume<float>(shape, t), new Volume<byte>(shape, m), 0.75f, Connectivity.Faces6);

        // The valley bottom (0.2) goes to whichever side reaches it first: the right side's 0.35 is higher than
        // the left side's 0.3, so the right floods it.
        Assert.Equal([1u, 1, 1, 1, 2, 2, 2, 2, 0], result.Labels.Data);
    }
}
