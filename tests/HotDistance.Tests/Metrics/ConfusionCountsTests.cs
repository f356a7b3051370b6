using HotDistance.Core.Metrics;
using HotDistance.Core.Volumes;

namespace HotDistance.Tests.Metrics;

public class ConfusionCountsTests
{
    private static readonly Shape3 Line = new(1, 1, 8);

    [Fact]
    public void Counts_each_case_and_skips_unknown_truth()
    {
        byte[] truth = [1, 1, 0, 0, 255, 255, 1, 0];
        byte[] prediction = [1, 0, 1, 0, 1, 0, 1, 0];

        var counts = ConfusionCounts.FromMasks(new Volume<byte>(Line, truth), new Volume<byte>(Line, prediction));

        Assert.Equal(new ConfusionCounts(2, 1, 1, 2), counts);
        Assert.Equal(2.0 / 4.0, counts.IoU);
        Assert.Equal(4.0 / 6.0, counts.Dice);
        Assert.Equal(2.0 / 3.0, counts.Precision);
        Assert.Equal(2.0 / 3.0, counts.Recall);
    }

    [Fact]
    public void Perfect_prediction_scores_one()
    {
        var truth = TestVolumes.Box(new Shape3(4, 4, 4), 1, 3, 1, 3, 0, 2);

        var counts = ConfusionCounts.FromMasks(truth, truth.Clone());

        Assert.Equal(1.0, counts.IoU);
        Assert.Equal(1.0, counts.Dice);
    }

    [Fact]
    public void Empty_prediction_of_present_class_scores_zero()
    {
        var truth = TestVolumes.Box(new Shape3(4, 4, 4), 1, 3, 1, 3, 0, 2);

        var counts = ConfusionCounts.FromMasks(truth, new Volume<byte>(truth.Shape));

        Assert.Equal(0.0, counts.IoU);
        Assert.Equal(0.0, counts.Dice);
        Assert.Equal(0.0, counts.Recall);
        Assert.Equal(1.0, counts.Precision); // nothing claimed, nothing wrongly claimed
    }

    [Fact]
    public void Empty_truth_scores_zero_against_a_prediction_and_one_against_nothing()
    {
        var empty = new Volume<byte>(new Shape3(4, 4, 4));
        var something = TestVolumes.Box(empty.Shape, 0, 1, 0, 1, 0, 1);

        var falseAlarm = ConfusionCounts.FromMasks(empty, something);
        var bothEmpty = ConfusionCounts.FromMasks(empty, empty);

        Assert.Equal(0.0, falseAlarm.IoU);
        Assert.Equal(1.0, bothEmpty.IoU);
        Assert.Equal(1.0, bothEmpty.Dice);
        Assert.Equal(64, bothEmpty.TrueNegatives);
    }

    [Fact]
    public void Pooled_counts_differ_from_the_mean_of_per_crop_scores()
    {
        var bigTruth = TestVolumes.Box(new Shape3(10, 10, 10), 0, 10, 0, 10, 0, 1); // 100 voxels, predicted exactly
        var smallTruth = TestVolumes.Box(new Shape3(10, 10, 10), 0, 10, 0, 1, 0, 1); // 10 voxels, missed

        var big = ConfusionCounts.FromMasks(bigTruth, bigTruth.Clone());
        var small = ConfusionCounts.FromMasks(smallTruth, new Volume<byte>(smallTruth.Shape));
        var pooled = big + small;

        Assert.Equal(0.5, (big.IoU + small.IoU) / 2);
        Assert.Equal(100.0 / 110.0, pooled.IoU, 12);
    }
}
