using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.Synthetic;
using HotDistance.Learning.Model;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Tasks;
using HotDistance.Learning.Training;
using static TorchSharp.torch;

namespace HotDistance.Tests.Learning;

/// <summary>
/// A crop that does not annotate a class must not teach the network anything about that class: with no
/// mutual exclusion, no gradient may reach that class's head channels.
/// </summary>
public class GradientIsolationTests
{
    private const int Annotated = 0; // mito
    private const int NotAnnotated = 1; // er

    [Theory]
    [InlineData(Variants.OneHot)]
    [InlineData(Variants.Distance)]
    [InlineData(Variants.HotDistance)]
    public void A_class_the_crop_does_not_annotate_gets_exactly_zero_gradient_in_every_head(string variant)
    {
        var gradients = HeadGradients(variant, mutuallyExclusive: []);

        Assert.NotEmpty(gradients);
        foreach (var (name, rows) in gradients)
        {
            Assert.True(rows[NotAnnotated].All(g => g == 0f), $"{name}: the unannotated class's channel received a gradient");
            Assert.True(rows[Annotated].Any(g => g != 0f), $"{name}: the annotated class's channel received no gradient");
            Assert.False(rows[Annotated].Any(float.IsNaN), $"{name}: NaN gradient");
        }

        var heads = gradients.Select(g => g.Name.Split('.')[0]).Distinct().Order(StringComparer.Ordinal).ToArray();
        string[] expected = variant switch
        {
            Variants.OneHot => ["oneHotHead"],
            Variants.Distance => ["distanceHead"],
            _ => ["distanceHead", "oneHotHead"],
        };
        Assert.Equal(expected, heads);
    }

    [Theory]
    [InlineData(Variants.OneHot)]
    [InlineData(Variants.HotDistance)]
    public void Mutual_exclusion_turns_the_annotated_class_into_negatives_for_the_other(string variant)
    {
        // The control for the test above: the same crop does move the other class's one-hot channel once the
        // two classes are declared exclusive, so a zero there is the weights' doing, not an accident.
        var gradients = HeadGradients(variant, mutuallyExclusive: [[SyntheticCropGenerator.Mito, SyntheticCropGenerator.Er]]);

        var oneHot = gradients.Single(g => g.Name == "oneHotHead.weight");
        Assert.Contains(oneHot.Rows[NotAnnotated], g => g != 0f);
        // Exclusion says nothing about where the other class's boundary is, so its distance channel stays untouched.
        foreach (var (name, rows) in gradients.Where(g => g.Name.StartsWith("distanceHead", StringComparison.Ordinal)))
        {
            Assert.True(rows[NotAnnotated].All(g => g == 0f), $"{name}: the unannotated class's distance channel received a gradient");
        }
    }

    /// <summary>Per head parameter, the gradient of one forward/backward pass split into one row per class.</summary>
    private static List<(string Name, float[][] Rows)> HeadGradients(string variant, IReadOnlyList<string[]> mutuallyExclusive)
    {
        TorchRuntime.EnsureLoaded();
        var crop = TinyTraining.Crop(seed: 3, size: 16, SyntheticCropGenerator.Mito);
        Assert.False(crop.Annotates(SyntheticCropGenerator.Er));
        Assert.Contains(crop.Labels[SyntheticCropGenerator.Mito].Mask.Data, v => v == LabelValues.Present);

        var task = SegmentationTasks.Create(variant);
        var settings = TinyTraining.Settings(steps: 1) with { MutuallyExclusive = mutuallyExclusive };
        var classes = TinyTraining.Classes;
        using var scope = NewDisposeScope();
        using var model = new UNet(TinyTraining.Architecture, task.Heads(classes.Count), seed: 5);
        using var targets = TargetTensors.Build(crop, classes, settings);
        var (target, weight) = task.SelectTargets(targets);
        var shape = crop.Shape;
        var input = tensor(crop.Raw.Data, [1, 1, shape.Z, shape.Y, shape.X]);
        var loss = task.Loss(model.forward(input), target.unsqueeze(0), weight.unsqueeze(0));
        loss.backward();

        var result = new List<(string, float[][])>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!name.Contains("Head", StringComparison.Ordinal))
            {
                continue;
            }

            Assert.Equal(classes.Count, parameter.shape[0]);
            var gradient = parameter.grad!.reshape(classes.Count, -1);
            var rows = Enumerable.Range(0, classes.Count).Select(c => gradient[c].data<float>().ToArray()).ToArray();
            result.Add((name, rows));
        }

        return result;
    }
}
