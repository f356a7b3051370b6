using System.Text.Json;
using HotDistance.Core.Crops;
using HotDistance.Core.Metrics;
using HotDistance.Core.PostProcessing;
using HotDistance.Core.Volumes;

namespace HotDistance.Tests.Metrics;

public class SegmentationScorerTests
{
    private static readonly Shape3 Shape = new(8, 8, 8);
    private static readonly VoxelSize Voxel = VoxelSize.Isotropic(4);

    private static ClassLabels Semantic(string name, Volume<byte> mask) => new(name, mask);

    private static ClassPrediction Predict(Volume<byte> mask) => new(mask);

    [Fact]
    public void Semantic_class_is_pooled_over_crops()
    {
        var scorer = new SegmentationScorer();
        var big = TestVolumes.Box(Shape, 0, 8, 0, 8, 0, 2); // 128 voxels, found
        var small = TestVolumes.Box(Shape, 0, 2, 0, 2, 0, 2); // 8 voxels, missed

        var first = scorer.Add("crop1", Voxel, Semantic("er", big), Predict(big.Clone()));
        var second = scorer.Add("crop2", Voxel, Semantic("er", small), Predict(new Volume<byte>(Shape)));
        var report = scorer.CreateReport();

        Assert.Equal(1.0, first.Score);
        Assert.Equal(0.0, second.Score);
        var er = Assert.Single(report.Classes);
        Assert.Equal(ClassKind.Semantic, er.Kind);
        Assert.Equal(2, er.CropCount);
        Assert.Equal(128.0 / 136.0, er.IoU, 12);
        Assert.Null(er.Combined);
        Assert.Equal(er.IoU, report.Overall, 12); // only semantic classes: overall is their mean
        Assert.Null(report.InstanceScore);
    }

    [Fact]
    public void Overall_is_the_geometric_mean_of_semantic_and_instance_means()
    {
        var scorer = new SegmentationScorer();
        var object1 = TestVolumes.Box(Shape, 0, 3, 0, 3, 0, 3);
        var object2 = TestVolumes.Box(Shape, 5, 8, 5, 8, 5, 8);
        var both = TestVolumes.Merge(TestVolumes.Ids(object1, 1), TestVolumes.Ids(object2, 2));
        var bothMask = new Volume<byte>(Shape, both.Data.Select(v => v != 0 ? (byte)1 : (byte)0).ToArray());

        scorer.Add("c", Voxel, Semantic("er", object1), Predict(object1.Clone()));                 // IoU 1
        scorer.Add("c", Voxel, Semantic("cyto", object1), Predict(object2.Clone()));               // IoU 0
        scorer.Add("c", Voxel, new ClassLabels("mito", bothMask, both), Predict(object1.Clone())); // 1 of 2 found
        var report = scorer.CreateReport();

        var mito = report.ForClass("mito")!;
        Assert.Equal(ClassKind.Instance, mito.Kind);
        Assert.Equal(2.0 / 3.0, mito.F1!.Value, 12);
        var missed = InstanceEvaluator.NormalizeDistance(16, Voxel); // cap: 8 voxels * 4 nm / 2
        Assert.Equal((1.0 + missed) / 2, mito.MeanNormalizedHausdorff!.Value, 12);
        Assert.Equal(Math.Sqrt(2.0 / 3.0 * (1.0 + missed) / 2), mito.Combined!.Value, 12);
        Assert.Equal(0.5, report.SemanticScore);
        Assert.Equal(mito.Combined, report.InstanceScore);
        Assert.Equal(Math.Sqrt(0.5 * mito.Combined.Value), report.Overall, 12);
    }

    [Fact]
    public void Instance_class_without_ids_is_split_into_connected_components()
    {
        var scorer = new SegmentationScorer();
        var twoBlobs = TestVolumes.Box(Shape, 0, 8, 0, 8, 0, 8);
        for (var i = 0; i < twoBlobs.Data.Length; i++)
        {
            twoBlobs.Data[i] = (byte)(i % 8 == 3 ? 0 : 1); // a gap at x = 3 cuts the block in two
        }

        var score = scorer.Add("c", Voxel, Semantic("ves", twoBlobs), Predict(twoBlobs.Clone()));

        Assert.Equal(ClassKind.Instance, score.Kind);
        Assert.Equal(2, score.Instances!.TruthCount);
        Assert.Equal(1.0, score.Score);
    }

    [Fact]
    public void Unknown_truth_voxels_are_ignored_for_both_kinds()
    {
        var truth = TestVolumes.Box(Shape, 0, 2, 0, 2, 0, 2);
        var wrongOnlyWhereUnknown = truth.Clone();
        var farAway = TestVolumes.Box(Shape, 6, 8, 6, 8, 6, 8);
        for (var i = 0; i < truth.Data.Length; i++)
        {
            if (farAway.Data[i] != 0)
            {
                truth.Data[i] = LabelValues.Unknown;
                wrongOnlyWhereUnknown.Data[i] = 1;
            }
        }

        var semantic = SegmentationScorer.Score("c", Voxel, Semantic("er", truth), Predict(wrongOnlyWhereUnknown));
        var instance = SegmentationScorer.Score("c", Voxel, Semantic("mito", truth), Predict(wrongOnlyWhereUnknown));

        Assert.Equal(1.0, semantic.Score);
        Assert.Equal(0, semantic.Voxels.FalsePositives);
        Assert.Equal(1, instance.Instances!.PredictionCount);
        Assert.Equal(1.0, instance.Score);
    }

    [Fact]
    public void Instance_classes_come_from_the_options()
    {
        var options = new ScoringOptions { InstanceClasses = new HashSet<string> { "er" } };
        var truth = TestVolumes.Box(Shape, 0, 2, 0, 2, 0, 2);

        var er = SegmentationScorer.Score("c", Voxel, Semantic("er", truth), Predict(truth.Clone()), options);
        var mito = SegmentationScorer.Score("c", Voxel, Semantic("mito", truth), Predict(truth.Clone()), options);

        Assert.Equal(ClassKind.Instance, er.Kind);
        Assert.Equal(ClassKind.Semantic, mito.Kind);
        Assert.Contains("mito", ScoringOptions.DefaultInstanceClasses);
    }

    [Fact]
    public void Class_with_nothing_anywhere_scores_one()
    {
        var scorer = new SegmentationScorer();
        var empty = new Volume<byte>(Shape);

        scorer.Add("c", Voxel, Semantic("er", empty), Predict(empty.Clone()));
        scorer.Add("c", Voxel, Semantic("mito", empty), Predict(empty.Clone()));
        var report = scorer.CreateReport();

        Assert.Equal(1.0, report.ForClass("er")!.IoU);
        Assert.Equal(1.0, report.ForClass("mito")!.Combined);
        Assert.Equal(1.0, report.Overall);
    }

    [Fact]
    public void Empty_report_scores_zero()
    {
        var report = new SegmentationScorer().CreateReport();

        Assert.Empty(report.Classes);
        Assert.Equal(0.0, report.Overall);
    }

    [Fact]
    public void Same_crop_and_class_twice_is_refused()
    {
        var scorer = new SegmentationScorer();
        var mask = TestVolumes.Box(Shape, 0, 2, 0, 2, 0, 2);
        scorer.Add("c", Voxel, Semantic("er", mask), Predict(mask));

        var error = Assert.Throws<InvalidOperationException>(() => scorer.Add("c", Voxel, Semantic("er", mask), Predict(mask)));

        Assert.Contains("crop 'c' class 'er'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shape_mismatch_names_the_crop_class_and_shapes()
    {
        var truth = new Volume<byte>(Shape);
        var prediction = new Volume<byte>(new Shape3(8, 8, 4));

        var error = Assert.Throws<ArgumentException>(() => SegmentationScorer.Score("crop9", Voxel, Semantic("er", truth), Predict(prediction)));

        Assert.Contains("crop 'crop9' class 'er'", error.Message, StringComparison.Ordinal);
        Assert.Contains("8x8x4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCrop_scores_the_annotated_classes_that_were_predicted()
    {
        var mask = TestVolumes.Box(Shape, 0, 2, 0, 2, 0, 2);
        var crop = new Crop
        {
            Name = "crop3",
            Raw = new Volume<float>(Shape),
            VoxelSize = Voxel,
            Labels = new Dictionary<string, ClassLabels> { ["er"] = Semantic("er", mask), ["mito"] = Semantic("mito", mask) },
        };
        var scorer = new SegmentationScorer();

        var scores = scorer.AddCrop(crop, new Dictionary<string, ClassPrediction> { ["mito"] = Predict(mask), ["nuc"] = Predict(mask) });

        var only = Assert.Single(scores);
        Assert.Equal("mito", only.ClassName);
        Assert.Equal("crop3", only.CropName);
    }

    [Fact]
    public void Report_serialises_to_json_without_non_finite_numbers()
    {
        var scorer = new SegmentationScorer();
        var mask = TestVolumes.Box(Shape, 0, 2, 0, 2, 0, 2);
        scorer.Add("c", Voxel, Semantic("mito", mask), Predict(new Volume<byte>(Shape))); // missed: no matched distance
        scorer.Add("c", Voxel, Semantic("er", mask), Predict(mask));

        var json = JsonSerializer.Serialize(scorer.CreateReport());

        using var document = JsonDocument.Parse(json);
        Assert.Equal(Math.Sqrt(1.0 * 0.0), document.RootElement.GetProperty("Overall").GetDouble());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("Classes")[1].GetProperty("MeanHausdorffNm").ValueKind);
    }
}
