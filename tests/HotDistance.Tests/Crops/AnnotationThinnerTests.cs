using HotDistance.Core.Crops;
using HotDistance.Core.Crops.Thinning;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Tasks;
using HotDistance.Learning.Training;
using HotDistance.Tests.Learning;
using static TorchSharp.torch;

namespace HotDistance.Tests.Crops;

public class AnnotationThinnerTests
{
    [Fact]
    public void The_same_crop_level_and_seed_give_the_same_labels_and_another_seed_gives_others()
    {
        var crop = TinyTraining.Crop(11, size: 16);
        var level = new AnnotationDensity { VoxelFraction = 0.5, Pattern = UnknownPattern.Blocks, BlockSize = 4 };

        var first = AnnotationThinner.Thin(crop, level, seed: 3);
        var again = AnnotationThinner.Thin(TinyTraining.Crop(11, size: 16), level, seed: 3);
        var other = AnnotationThinner.Thin(crop, level, seed: 4);

        foreach (var name in crop.Labels.Keys)
        {
            Assert.Equal(first.Labels[name].Mask.Data, again.Labels[name].Mask.Data);
        }

        Assert.NotEqual(first.Labels["er"].Mask.Data, other.Labels["er"].Mask.Data);
        Assert.Same(crop.Raw, first.Raw);
    }

    [Fact]
    public void Classes_per_crop_keeps_k_of_the_annotated_classes_untouched_and_drops_the_rest()
    {
        var crop = TinyTraining.Crop(12, size: 16);

        var kept = Enumerable.Range(0, 20).Select(seed => AnnotationThinner.Thin(crop, new AnnotationDensity { ClassesPerCrop = 1 }, seed)).ToList();

        Assert.All(kept, thinned =>
        {
            var name = Assert.Single(thinned.Labels.Keys);
            Assert.Same(crop.Labels[name], thinned.Labels[name]);
        });
        // Over 20 seeds both classes get kept somewhere: the choice is drawn, not always the first name.
        Assert.Equal(["er", "mito"], kept.Select(k => k.Labels.Keys.Single()).Distinct().Order());
        Assert.Equal(2, AnnotationThinner.Thin(crop, new AnnotationDensity { ClassesPerCrop = 5 }, 1).Labels.Count);
    }

    [Theory]
    [InlineData(UnknownPattern.Slabs, 0.5)]
    [InlineData(UnknownPattern.Slabs, 0.25)]
    [InlineData(UnknownPattern.Blocks, 0.5)]
    [InlineData(UnknownPattern.Blocks, 0.25)]
    public void Voxel_density_marks_the_rest_unknown_in_whole_units_in_every_class_and_keeps_the_known_voxels(UnknownPattern pattern, double fraction)
    {
        var crop = TinyTraining.Crop(13, size: 16);
        var level = new AnnotationDensity { VoxelFraction = fraction, Pattern = pattern, BlockSize = 4 };

        var thinned = AnnotationThinner.Thin(crop, level, seed: 5);

        var shape = crop.Shape;
        var unknown = thinned.Labels["er"].Mask.Data.Select(v => v == LabelValues.Unknown).ToArray();
        Assert.Equal(unknown, thinned.Labels["mito"].Mask.Data.Select(v => v == LabelValues.Unknown));
        // 16^3 in units of 4 voxels (4 slabs, 64 blocks): the known share is exactly the fraction asked for.
        Assert.Equal(fraction, 1.0 - (unknown.Count(u => u) / (double)shape.Count), 3);
        for (var z = 0; z < shape.Z; z++)
        {
            for (var y = 0; y < shape.Y; y++)
            {
                for (var x = 0; x < shape.X; x++)
                {
                    var i = shape.Index(z, y, x);
                    // Every voxel of a unit shares its fate with the unit's first voxel.
                    var unitStart = pattern == UnknownPattern.Slabs ? shape.Index(z / 4 * 4, 0, 0) : shape.Index(z / 4 * 4, y / 4 * 4, x / 4 * 4);
                    Assert.Equal(unknown[unitStart], unknown[i]);
                    if (unknown[i])
                    {
                        Assert.Equal(0u, thinned.Labels["mito"].Instances!.Data[i]);
                    }
                    else
                    {
                        Assert.Equal(crop.Labels["er"].Mask.Data[i], thinned.Labels["er"].Mask.Data[i]);
                        Assert.Equal(crop.Labels["mito"].Instances!.Data[i], thinned.Labels["mito"].Instances!.Data[i]);
                    }
                }
            }
        }

        Assert.DoesNotContain(LabelValues.Unknown, crop.Labels["er"].Mask.Data);
    }

    [Fact]
    public void Crop_count_takes_the_first_n_crops_in_order()
    {
        var crops = new[] { TinyTraining.Crop(1), TinyTraining.Crop(2), TinyTraining.Crop(3) };

        var used = AnnotationThinner.ThinAll(crops, new AnnotationDensity { CropCount = 2 }, seed: 1);

        Assert.Equal(["tiny-1", "tiny-2"], used.Select(c => c.Name));
    }

    [Fact]
    public void Unknown_voxels_leave_the_loss_whatever_the_network_predicts_there()
    {
        TorchRuntime.EnsureLoaded();
        var crop = AnnotationThinner.Thin(TinyTraining.Crop(14, size: 16), new AnnotationDensity { VoxelFraction = 0.5, BlockSize = 4 }, seed: 2);
        var unknown = crop.Labels["er"].Mask.Data.Select((v, i) => (v, i)).First(p => p.v == LabelValues.Unknown).i;
        var known = crop.Labels["er"].Mask.Data.Select((v, i) => (v, i)).First(p => p.v != LabelValues.Unknown).i;
        var task = new HotDistanceTask();
        using var targets = TargetTensors.Build(crop, TinyTraining.Classes, TinyTraining.Settings(1));
        var (target, weight) = task.SelectTargets(targets);
        using var output = zeros([1, 4, 16, 16, 16]);

        var before = Loss(task, output, target, weight);
        // Change every channel's prediction at one unknown voxel, then at one known voxel.
        output.view(4, -1)[.., unknown] = tensor(5f);
        var afterUnknown = Loss(task, output, target, weight);
        output.view(4, -1)[.., known] = tensor(5f);
        var afterKnown = Loss(task, output, target, weight);

        Assert.Equal(before, afterUnknown);
        Assert.NotEqual(before, afterKnown);
    }

    [Theory]
    [InlineData("full", "full")]
    [InlineData("classes=1", "classes=1")]
    [InlineData("voxels=0.5", "voxels=0.5:slabs:4")]
    [InlineData("crops=2+voxels=0.25:blocks:8+classes=1", "classes=1+voxels=0.25:blocks:8+crops=2")]
    public void A_level_reads_from_text_and_writes_back_its_canonical_name(string text, string name)
    {
        var level = AnnotationDensity.Parse(text, "ablation:densities");

        Assert.Equal(name, level.Name);
        Assert.Equal(level, AnnotationDensity.Parse(level.Name, "again"));
    }

    [Theory]
    [InlineData("voxels=2", "voxel fraction")]
    [InlineData("voxels=0.5:stripes", "slabs or blocks")]
    [InlineData("classes=0", "whole number from 1")]
    [InlineData("half", "not a density level")]
    public void A_wrong_level_names_the_source_and_the_syntax(string text, string why)
    {
        var error = Assert.Throws<FormatException>(() => AnnotationDensity.Parse(text, "ablation:densities:1"));

        Assert.Contains("ablation:densities:1", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.Contains(AnnotationDensity.Syntax, error.Message, StringComparison.Ordinal);
    }

    private static float Loss(SegmentationTask task, Tensor output, Tensor target, Tensor weight)
    {
        using var loss = task.Loss(output, target.unsqueeze(0), weight.unsqueeze(0));
        return loss.item<float>();
    }
}
