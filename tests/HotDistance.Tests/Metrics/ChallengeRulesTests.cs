using HotDistance.Core.Crops;
using HotDistance.Core.Metrics;
using HotDistance.Core.PostProcessing;
using HotDistance.Core.Volumes;

namespace HotDistance.Tests.Metrics;

/// <summary>
/// The CellMap challenge's rules that hd follows beyond ordinary cases, each on a hand-built volume whose expected
/// numbers are worked out here: a predicted id is split into its 26-connected pieces (after unknown truth voxels are
/// cleared) before matching, and the challenge's instance classes are the defaults.
/// </summary>
public sealed class ChallengeRulesTests
{
    private static readonly Shape3 Shape = new(6, 6, 12);

    [Fact]
    public void An_id_on_two_separate_objects_is_two_predicted_instances()
    {
        // Truth: two 2x2x2 cubes, ids 1 and 2, far apart. Prediction: the same two cubes, both with id 7.
        var truth = Ids((1, 0), (2, 8));
        var prediction = Ids((7, 0), (7, 8));

        var score = SegmentationScorer.Score("crop", VoxelSize.Isotropic(8), Labels(truth), new ClassPrediction(Mask(prediction), prediction), Options);

        // Kept whole, id 7 would match one cube with IoU 8/16 and leave the other unmatched (F1 2/3). Split, each piece
        // matches its cube exactly: two true positives, no false ones, F1 1.
        var evaluation = score.Instances!;
        Assert.Equal(2, evaluation.PredictionCount);
        Assert.Equal((2L, 0L, 0L), (evaluation.Counts.TruePositives, evaluation.Counts.FalsePositives, evaluation.Counts.FalseNegatives));
        Assert.All(evaluation.Matches, m => Assert.Equal(1.0, m.IoU));
    }

    [Fact]
    public void Unknown_truth_voxels_are_cleared_before_the_split_so_a_bridge_through_them_does_not_join_two_objects()
    {
        // Prediction id 7 covers both cubes and the voxels between them, where the truth is unknown.
        var truth = Ids((1, 0), (2, 8));
        var mask = Mask(truth);
        var prediction = Ids((7, 0), (7, 8));
        for (var x = 2; x < 8; x++)
        {
            mask.Data[Index(0, 0, x)] = LabelValues.Unknown;
            prediction.Data[Index(0, 0, x)] = 7;
        }

        var score = SegmentationScorer.Score("crop", VoxelSize.Isotropic(8), new ClassLabels("mito", mask, truth), new ClassPrediction(Mask(prediction), prediction), Options);

        Assert.Equal(2, score.Instances!.PredictionCount);
        Assert.Equal(1.0, score.Instances.Counts.F1);
    }

    [Fact]
    public void Splitting_keeps_touching_objects_with_different_ids_apart_and_numbers_pieces_in_raster_order()
    {
        var ids = new Volume<uint>(new Shape3(1, 1, 6), [5, 5, 9, 0, 5, 5]);

        var split = ConnectedComponents.SplitLabels(ids);

        Assert.Equal(3, split.Count);
        Assert.Equal([1u, 1u, 2u, 0u, 3u, 3u], split.Labels.Data);
    }

    [Fact]
    public void On_equal_total_IoU_the_matching_with_more_pairs_wins_as_the_challenges_integer_costs_decide()
    {
        // One row of 12 voxels:   W W B B A A A A C C Z Z
        //   truth       (T1, T2):  0 0 1 1 1 1 1 1 2 2 2 2
        //   prediction  (P1, P2):  2 2 2 2 1 1 1 1 1 1 0 0
        // IoU(T1, P1) = |A| / 8 = 0.5; IoU(T1, P2) = |B| / 8 = 0.25; IoU(T2, P1) = |C| / 8 = 0.25; T2 and P2 do not
        // meet. {T1-P1} and {T1-P2, T2-P1} both sum to 0.5. The challenge's min-cost flow pays 10^6 (1 - IoU) per
        // pair and 10^6 + 1 per unmatched truth: 500000 + 1000001 against 750000 + 750000, so the two pairs win.
        var shape = new Shape3(1, 1, 12);
        var truth = new Volume<uint>(shape, [0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2]);
        var prediction = new Volume<uint>(shape, [2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0]);

        var evaluation = InstanceEvaluator.Evaluate(truth, prediction, VoxelSize.Isotropic(8));

        Assert.Equal((2L, 0L, 0L), (evaluation.Counts.TruePositives, evaluation.Counts.FalsePositives, evaluation.Counts.FalseNegatives));
        Assert.Equal([(1u, 2u, 0.25), (2u, 1u, 0.25)], evaluation.Matches.Select(m => (m.TruthId, m.PredictionId, m.IoU)).Order());
    }

    [Fact]
    public void The_default_instance_classes_are_the_challenges()
    {
        Assert.Equal(["nuc", "vim", "ves", "endo", "lyso", "ld", "perox", "mito", "np", "mt", "cell", "instance"], ScoringOptions.ChallengeInstanceClasses);
        Assert.Contains("instance", new ScoringOptions().InstanceClasses);
        Assert.Equal(ScoringOptions.ChallengeInstanceClasses, new Core.PipelineSettings { Workspace = "w" }.InstanceClasses);
    }

    private static ScoringOptions Options { get; } = new();

    private static int Index(int z, int y, int x) => (((z * Shape.Y) + y) * Shape.X) + x;

    /// <summary>2x2x2 cubes at z, y = 0..1 and x = start..start+1, each with its id.</summary>
    private static Volume<uint> Ids(params (uint Id, int X)[] cubes)
    {
        var ids = new Volume<uint>(Shape);
        foreach (var (id, start) in cubes)
        {
            for (var z = 0; z < 2; z++)
            {
                for (var y = 0; y < 2; y++)
                {
                    for (var x = start; x < start + 2; x++)
                    {
                        ids.Data[Index(z, y, x)] = id;
                    }
                }
            }
        }

        return ids;
    }

    private static Volume<byte> Mask(Volume<uint> ids) => new(ids.Shape, ids.Data.Select(v => v == 0 ? LabelValues.Absent : LabelValues.Present).ToArray());

    private static ClassLabels Labels(Volume<uint> ids) => new("mito", Mask(ids), ids);
}
