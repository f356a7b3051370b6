using HotDistance.Core.Metrics;
using HotDistance.Core.Volumes;

namespace HotDistance.Tests.Metrics;

public class InstanceEvaluatorTests
{
    private static readonly Shape3 Shape = new(16, 16, 16);
    private static readonly VoxelSize Voxel = new(8, 4, 4);

    private static Volume<uint> TwoObjects() => TestVolumes.Merge(
        TestVolumes.Ids(TestVolumes.Box(Shape, 1, 5, 1, 5, 1, 5), 7),
        TestVolumes.Ids(TestVolumes.Box(Shape, 8, 12, 8, 14, 8, 14), 3));

    [Fact]
    public void Perfect_prediction_with_other_ids_scores_one()
    {
        var truth = TwoObjects();
        var prediction = new Volume<uint>(Shape, truth.Data.Select(v => v == 0 ? 0u : v + 100).ToArray());

        var result = InstanceEvaluator.Evaluate(truth, prediction, Voxel);

        Assert.Equal(2, result.Matches.Count);
        Assert.Contains(result.Matches, m => m.TruthId == 7 && m.PredictionId == 107 && m.IoU == 1.0 && m.HausdorffNm == 0);
        Assert.Equal(new InstanceCounts(2, 0, 0, 2.0, 2, 0.0), result.Counts);
        Assert.Equal(1.0, result.Counts.Combined);
    }

    [Fact]
    public void Shifted_object_has_its_hausdorff_distance_normalised_by_the_voxel_diagonal()
    {
        var truth = TestVolumes.Ids(TestVolumes.Box(Shape, 4, 8, 4, 12, 4, 12), 1);
        var prediction = TestVolumes.Ids(TestVolumes.Box(Shape, 6, 10, 5, 13, 4, 12), 1);

        var result = InstanceEvaluator.Evaluate(truth, prediction, Voxel);

        var match = Assert.Single(result.Matches);
        var hausdorff = Math.Sqrt(16 * 16 + 4 * 4);
        Assert.Equal(hausdorff, match.HausdorffNm, 4);
        Assert.Equal(112.0 / 400.0, match.IoU, 12); // 2 x 7 x 8 overlap of two 256-voxel boxes
        var normalised = Math.Pow(1.01, -hausdorff / Math.Sqrt(64 + 16 + 16));
        Assert.Equal(1.0, result.Counts.F1);
        Assert.Equal(normalised, result.Counts.MeanNormalizedHausdorff, 6);
        Assert.Equal(Math.Sqrt(normalised), result.Counts.Combined, 6);
        Assert.Equal(hausdorff, result.Counts.MeanMatchedHausdorffNm!.Value, 4);
    }

    [Fact]
    public void Empty_prediction_misses_every_instance_at_the_capped_distance()
    {
        var result = InstanceEvaluator.Evaluate(TwoObjects(), new Volume<uint>(Shape), Voxel);

        Assert.Empty(result.Matches);
        Assert.Equal(32.0, result.HausdorffCapNm); // min(16*8, 16*4, 16*4) / 2
        Assert.Equal(0, result.Counts.TruePositives);
        Assert.Equal(2, result.Counts.FalseNegatives);
        Assert.Equal(2, result.Counts.HausdorffCount);
        Assert.Equal(InstanceEvaluator.NormalizeDistance(32, Voxel), result.Counts.MeanNormalizedHausdorff, 12);
        Assert.Equal(0.0, result.Counts.F1);
        Assert.Equal(0.0, result.Counts.Combined);
        Assert.Null(result.Counts.MeanMatchedHausdorffNm);
    }

    [Fact]
    public void Empty_truth_counts_every_prediction_as_false_positive()
    {
        var result = InstanceEvaluator.Evaluate(new Volume<uint>(Shape), TwoObjects(), Voxel);

        Assert.Equal(2, result.Counts.FalsePositives);
        Assert.Equal(2, result.Counts.HausdorffCount);
        Assert.Equal(0.0, result.Counts.Combined);
    }

    [Fact]
    public void Nothing_anywhere_scores_one()
    {
        var result = InstanceEvaluator.Evaluate(new Volume<uint>(Shape), new Volume<uint>(Shape), Voxel);

        Assert.True(result.Counts.IsEmpty);
        Assert.Equal(1.0, result.Counts.F1);
        Assert.Equal(1.0, result.Counts.Combined);
    }

    [Fact]
    public void Matching_is_optimal_not_greedy()
    {
        // Truth t1 = x[0,10), t2 = x[10,20); prediction p1 = x[4,13), p2 = x[0,4), on a 2x2 cross-section.
        // IoU(t1,p1) = 6/13 is the single best pair, but taking it leaves t2 unmatched;
        // IoU(t1,p2) + IoU(t2,p1) = 4/10 + 3/16 is larger, and matches both.
        var shape = new Shape3(2, 2, 24);
        var truth = TestVolumes.Build(shape, (_, _, x) => x < 10 ? 1u : x < 20 ? 2u : 0u);
        var prediction = TestVolumes.Build(shape, (_, _, x) => x is >= 4 and < 13 ? 1u : x < 4 ? 2u : 0u);

        var result = InstanceEvaluator.Evaluate(truth, prediction, VoxelSize.Isotropic(4));

        Assert.Equal(2, result.Matches.Count);
        Assert.Contains(result.Matches, m => m.TruthId == 1 && m.PredictionId == 2);
        Assert.Contains(result.Matches, m => m.TruthId == 2 && m.PredictionId == 1);
        Assert.Equal(1.0, result.Counts.F1);
    }

    [Fact]
    public void Pairs_at_or_below_the_minimum_iou_do_not_match()
    {
        var shape = new Shape3(1, 1, 10);
        var truth = TestVolumes.Build(shape, (_, _, x) => x < 4 ? 1u : 0u);
        var prediction = TestVolumes.Build(shape, (_, _, x) => x is >= 3 and < 6 ? 1u : 0u); // IoU 1/6

        var loose = InstanceEvaluator.Evaluate(truth, prediction, VoxelSize.Isotropic(1));
        var strict = InstanceEvaluator.Evaluate(truth, prediction, VoxelSize.Isotropic(1), minIoU: 0.5);

        Assert.Single(loose.Matches);
        Assert.Empty(strict.Matches);
        Assert.Equal(1, strict.Counts.FalsePositives);
        Assert.Equal(1, strict.Counts.FalseNegatives);
    }

    [Fact]
    public void Large_ids_are_supported()
    {
        var truth = TestVolumes.Ids(TestVolumes.Box(Shape, 1, 5, 1, 5, 1, 5), uint.MaxValue);
        var prediction = TestVolumes.Ids(TestVolumes.Box(Shape, 1, 5, 1, 5, 1, 5), 4_000_000_000);

        var match = Assert.Single(InstanceEvaluator.Evaluate(truth, prediction, Voxel).Matches);

        Assert.Equal(uint.MaxValue, match.TruthId);
        Assert.Equal(4_000_000_000u, match.PredictionId);
    }
}
