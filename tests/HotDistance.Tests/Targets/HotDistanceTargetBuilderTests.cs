using HotDistance.Core.Crops;
using HotDistance.Core.Targets;
using HotDistance.Core.Volumes;

namespace HotDistance.Tests.Targets;

public class HotDistanceTargetBuilderTests
{
    private const byte U = LabelValues.Unknown;

    [Fact]
    public void Class_not_annotated_gets_zero_weight_on_both_channels()
    {
        var shape = new Shape3(4, 4, 4);
        var crop = MakeCrop(shape, VoxelSize.Isotropic(8), ("mito", Slab(shape, 2)));

        var targets = new HotDistanceTargetBuilder().Build(crop, ["mito", "er"]);

        Assert.Equal([2L, 4, 4, 4], targets.TensorShape);
        Assert.Equal([ClassTargetSource.Annotated, ClassTargetSource.NotAnnotated], targets.Sources);
        Assert.All(targets.Channel(targets.OneHotWeight, 1).ToArray(), w => Assert.Equal(0f, w));
        Assert.All(targets.Channel(targets.DistanceWeight, 1).ToArray(), w => Assert.Equal(0f, w));
        Assert.All(targets.Channel(targets.OneHot, 1).ToArray(), v => Assert.Equal(0f, v));
        Assert.Contains(targets.Channel(targets.OneHotWeight, 0).ToArray(), w => w > 0f);
    }

    [Fact]
    public void Unknown_voxels_get_zero_weight_on_both_channels()
    {
        var shape = new Shape3(8, 8, 8);
        var labels = Slab(shape, 4);
        labels[4, 4, 4] = U;
        labels[1, 1, 1] = U;
        var crop = MakeCrop(shape, VoxelSize.Isotropic(8), ("mito", labels));

        var targets = new HotDistanceTargetBuilder(new HotDistanceTargetSettings { Epsilon = 0, ScaleNm = 1000 }).Build(crop, ["mito"]);

        foreach (var (z, y, x) in new[] { (4, 4, 4), (1, 1, 1) })
        {
            var i = shape.Index(z, y, x);
            Assert.Equal(0f, targets.OneHotWeight[i]);
            Assert.Equal(0f, targets.DistanceWeight[i]);
            Assert.Equal(0f, targets.OneHot[i]);
        }

        // Their known neighbours keep a one-hot weight.
        Assert.True(targets.OneHotWeight[shape.Index(4, 4, 5)] > 0f);
    }

    [Fact]
    public void Distance_mask_drops_large_distances_near_the_edge_and_keeps_the_boundary()
    {
        // Half space x < 12 present in a 24^3 crop at 8 nm, s = 80 nm.
        var shape = new Shape3(24, 24, 24);
        var voxel = VoxelSize.Isotropic(8);
        var labels = new Volume<byte>(shape);
        BruteForce.ForEachVoxel(shape, (z, y, x) => labels[z, y, x] = x < 12 ? LabelValues.Present : LabelValues.Absent);
        var crop = MakeCrop(shape, voxel, ("mito", labels));
        var settings = new HotDistanceTargetSettings();

        var targets = new HotDistanceTargetBuilder(settings).Build(crop, ["mito"]);

        // Spot checks: 44 nm inside, far from the edge (kept although t = 0.5); the same depth one voxel
        // from the edge (dropped); at the boundary two voxels from the edge (kept); at the edge itself (dropped).
        Assert.True(targets.DistanceWeight[shape.Index(12, 12, 6)] > 0f);
        Assert.Equal(0f, targets.DistanceWeight[shape.Index(0, 12, 6)]);
        Assert.True(targets.DistanceWeight[shape.Index(1, 12, 11)] > 0f);
        Assert.Equal(0f, targets.DistanceWeight[shape.Index(1, 12, 1)]);
        Assert.Equal(0f, targets.DistanceWeight[shape.Index(0, 12, 11)]);

        // Every voxel, from the definitions: d to the face at x = 12, e to the one-voxel frame.
        var kept = new bool[shape.Count];
        long positive = 0;
        long negative = 0;
        BruteForce.ForEachVoxel(shape, (z, y, x) =>
        {
            var i = shape.Index(z, y, x);
            var d = x < 12 ? (11.5 - x) * 8 : -(x - 11.5) * 8;
            var e = 8.0 * Math.Min(Frame(z, 24), Math.Min(Frame(y, 24), Frame(x, 24)));
            var t = Math.Tanh(d / 80);
            Assert.Equal((float)t, targets.Distance[i], 6);
            kept[i] = Math.Min(Math.Abs(t) + 0.05, 0.8) < Math.Tanh(e / 80);
            positive += kept[i] && d > 0 ? 1 : 0;
            negative += kept[i] && d < 0 ? 1 : 0;
        });
        var wPositive = (float)(1 / (2 * Math.Clamp((double)positive / (positive + negative), 0.05, 0.95)));
        var wNegative = (float)(1 / (2 * Math.Clamp((double)negative / (positive + negative), 0.05, 0.95)));
        for (var i = 0; i < kept.Length; i++)
        {
            var expected = !kept[i] ? 0f : targets.Distance[i] > 0 ? wPositive : wNegative;
            Assert.Equal(expected, targets.DistanceWeight[i]);
        }

        Assert.True(positive > 100 && negative > 100);
    }

    [Fact]
    public void One_hot_balancing_is_one_over_twice_the_side_fraction()
    {
        // 16 of 64 voxels present: f = 0.25 and 0.75.
        var shape = new Shape3(4, 4, 4);
        var crop = MakeCrop(shape, VoxelSize.Isotropic(8), ("mito", Slab(shape, 1)));

        var targets = new HotDistanceTargetBuilder().Build(crop, ["mito"]);

        for (var i = 0; i < 64; i++)
        {
            Assert.Equal(i < 16 ? 1f : 0f, targets.OneHot[i]);
            Assert.Equal(i < 16 ? 2f : (float)(1 / 1.5), targets.OneHotWeight[i]);
        }
    }

    [Fact]
    public void Balancing_clips_the_fraction()
    {
        // 1 of 64 present: f = 1/64 clips to 0.05 (w = 10), 63/64 clips to 0.95 (w = 1/1.9).
        var shape = new Shape3(4, 4, 4);
        var labels = new Volume<byte>(shape);
        labels[2, 2, 2] = LabelValues.Present;
        var crop = MakeCrop(shape, VoxelSize.Isotropic(8), ("mito", labels));

        var targets = new HotDistanceTargetBuilder().Build(crop, ["mito"]);

        var present = shape.Index(2, 2, 2);
        Assert.Equal(10f, targets.OneHotWeight[present]);
        Assert.All(targets.OneHotWeight.Where((_, i) => i != present), w => Assert.Equal((float)(1 / 1.9), w));
    }

    [Fact]
    public void Clip_settings_are_used()
    {
        var shape = new Shape3(4, 4, 4);
        var labels = new Volume<byte>(shape);
        labels[2, 2, 2] = LabelValues.Present;
        var crop = MakeCrop(shape, VoxelSize.Isotropic(8), ("mito", labels));

        var targets = new HotDistanceTargetBuilder(new HotDistanceTargetSettings { ClipMin = 0.25, ClipMax = 0.5 }).Build(crop, ["mito"]);

        Assert.Equal(2f, targets.OneHotWeight[shape.Index(2, 2, 2)]);
        Assert.Equal(1f, targets.OneHotWeight[0]);
    }

    [Fact]
    public void Absent_class_has_the_no_boundary_distance_everywhere()
    {
        var shape = new Shape3(4, 6, 8);
        var crop = MakeCrop(shape, VoxelSize.Isotropic(10), ("mito", new Volume<byte>(shape)));

        var targets = new HotDistanceTargetBuilder(new HotDistanceTargetSettings { ScaleNm = 40 }).Build(crop, ["mito"]);

        // m = 4 * 10 / 2 = 20 nm.
        Assert.All(targets.Distance, t => Assert.Equal((float)Math.Tanh(-0.5), t));
        Assert.All(targets.OneHot, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Mutually_exclusive_class_supplies_true_negatives()
    {
        var shape = new Shape3(4, 4, 4);
        var nucleus = Slab(shape, 1); // z = 0 is nucleus
        var mito = Slab(shape, 0);
        mito[0, 0, 0] = U; // unknown for mito but nucleus there: not mito
        mito[3, 3, 3] = U; // unknown and no nucleus: stays unknown
        var crop = MakeCrop(shape, VoxelSize.Isotropic(8), ("nuc", nucleus));
        var withMito = MakeCrop(shape, VoxelSize.Isotropic(8), ("nuc", nucleus), ("mito", mito));
        var settings = new HotDistanceTargetSettings { MutualExclusions = new MutualExclusions([("mito", "nuc")]) };
        var builder = new HotDistanceTargetBuilder(settings);

        var targets = builder.Build(crop, ["mito", "nuc", "er"]);
        var annotated = builder.Build(withMito, ["mito"]);

        Assert.Equal([ClassTargetSource.ExclusionNegatives, ClassTargetSource.Annotated, ClassTargetSource.NotAnnotated], targets.Sources);
        var mitoWeight = targets.Channel(targets.OneHotWeight, 0).ToArray();
        for (var i = 0; i < 64; i++)
        {
            Assert.Equal(i < 16 ? (float)(1 / 1.9) : 0f, mitoWeight[i]);
        }

        Assert.All(targets.Channel(targets.OneHot, 0).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(targets.Channel(targets.DistanceWeight, 0).ToArray(), w => Assert.Equal(0f, w));
        Assert.All(targets.Channel(targets.OneHotWeight, 2).ToArray(), w => Assert.Equal(0f, w));

        Assert.True(annotated.OneHotWeight[0] > 0f);
        Assert.Equal(0f, annotated.OneHot[0]);
        Assert.Equal(0f, annotated.DistanceWeight[0]);
        Assert.Equal(0f, annotated.OneHotWeight[63]);
    }

    [Fact]
    public void Labels_that_do_not_cover_the_crop_are_rejected_with_the_class_name()
    {
        var crop = MakeCrop(new Shape3(4, 4, 4), VoxelSize.Isotropic(8), ("mito", new Volume<byte>(new Shape3(4, 4, 3))));

        var ex = Assert.Throws<ArgumentException>(() => new HotDistanceTargetBuilder().Build(crop, ["mito"]));

        Assert.Contains("'mito'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("4x4x3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_classes_and_bad_settings_are_rejected()
    {
        var shape = new Shape3(2, 2, 2);
        var crop = MakeCrop(shape, VoxelSize.Isotropic(8), ("mito", new Volume<byte>(shape)));

        Assert.Throws<ArgumentException>(() => new HotDistanceTargetBuilder().Build(crop, ["mito", "mito"]));
        var ex = Assert.Throws<ArgumentException>(() => new HotDistanceTargetBuilder(new HotDistanceTargetSettings { ScaleNm = 0 }));
        Assert.Contains(nameof(HotDistanceTargetSettings.ScaleNm), ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new HotDistanceTargetBuilder(new HotDistanceTargetSettings { ClipMin = 0.6, ClipMax = 0.5 }));
    }

    private static int Frame(int position, int length) => Math.Min(position + 1, length - position);

    /// <summary>Present where z &lt; <paramref name="depth"/>, absent elsewhere.</summary>
    private static Volume<byte> Slab(Shape3 shape, int depth)
    {
        var labels = new Volume<byte>(shape);
        BruteForce.ForEachVoxel(shape, (z, y, x) => labels[z, y, x] = z < depth ? LabelValues.Present : LabelValues.Absent);
        return labels;
    }

    private static Crop MakeCrop(Shape3 shape, VoxelSize voxel, params (string Name, Volume<byte> Mask)[] classes) => new()
    {
        Name = "crop1",
        Raw = new Volume<float>(shape),
        VoxelSize = voxel,
        Labels = classes.ToDictionary(c => c.Name, c => new ClassLabels(c.Name, c.Mask), StringComparer.Ordinal),
    };
}
