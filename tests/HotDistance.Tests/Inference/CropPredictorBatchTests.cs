using HotDistance.Core.Volumes;
using HotDistance.Learning.Inference;
using HotDistance.Learning.Model;
using HotDistance.Learning.Runtime;
using HotDistance.Tests.Learning;
using static TorchSharp.torch;

namespace HotDistance.Tests.Inference;

/// <summary>
/// A window's prediction must not depend on what it went through the network with: the evaluation batches small
/// crops together, `hd predict` and the sites predict a crop on its own, and deployed must equal evaluated bit for bit.
/// </summary>
[Collection(LearningRunsDefinition.Name)]
public class CropPredictorBatchTests
{
    private static readonly string[] Classes = ["mito", "er"];
    private static readonly ModelArchitecture Architecture = new(4, 2, [[2, 2, 2], [2, 2, 2]]);

    [Fact]
    public void A_crop_predicted_alone_equals_the_same_crop_batched_with_another_bit_for_bit()
    {
        TorchRuntime.EnsureLoaded();
        using var model = new UNet(Architecture, new HeadLayout(Classes.Length, OneHot: true, Distance: true), seed: 3);
        var first = TiledInferenceTests.RandomRaw(new Shape3(16, 16, 16), seed: 1);
        var second = TiledInferenceTests.RandomRaw(new Shape3(16, 16, 16), seed: 2);

        var together = CropPredictor.PredictEach(model, [first, second], Classes, CPU).ToList();

        Assert.Equal(2, together.Count);
        AssertIdentical(CropPredictor.Predict(model, first, Classes, CPU), together[0]);
        AssertIdentical(CropPredictor.Predict(model, second, Classes, CPU), together[1]);
    }

    [Fact]
    public void Crops_of_other_shapes_and_tiled_crops_keep_their_order_and_their_own_values()
    {
        TorchRuntime.EnsureLoaded();
        using var model = new UNet(Architecture, new HeadLayout(Classes.Length, OneHot: false, Distance: true), seed: 4);
        var tiling = new TilingOptions { CoreSize = [16, 16, 16], BatchSize = 2 };
        // One window each (joined in pairs when their windows match), a tiled crop between them, and a crop whose
        // single window is smaller, so the sequence breaks every batch in a different way.
        Volume<float>[] crops =
        [
            TiledInferenceTests.RandomRaw(new Shape3(16, 16, 16), seed: 5),
            TiledInferenceTests.RandomRaw(new Shape3(24, 16, 40), seed: 6),
            TiledInferenceTests.RandomRaw(new Shape3(12, 16, 16), seed: 7),
            TiledInferenceTests.RandomRaw(new Shape3(16, 16, 16), seed: 8),
            TiledInferenceTests.RandomRaw(new Shape3(15, 13, 16), seed: 9),
            TiledInferenceTests.RandomRaw(new Shape3(16, 16, 16), seed: 10),
        ];
        Assert.True(TilePlan.For(crops[1].Shape, Architecture, tiling).Tiles.Count > 1);

        var each = CropPredictor.PredictEach(model, crops, Classes, CPU, tiling).ToList();

        Assert.Equal(crops.Length, each.Count);
        for (var i = 0; i < crops.Length; i++)
        {
            AssertIdentical(CropPredictor.Predict(model, crops[i], Classes, CPU, tiling), each[i]);
        }
    }

    private static void AssertIdentical(Prediction expected, Prediction actual)
    {
        var pairs = (expected.OneHotProbabilities ?? []).Zip(actual.OneHotProbabilities ?? [])
            .Concat((expected.Distances ?? []).Zip(actual.Distances ?? []))
            .ToList();
        Assert.NotEmpty(pairs);
        foreach (var (e, a) in pairs)
        {
            Assert.Equal(e.Shape, a.Shape);
            Assert.True(e.Data.Max() - e.Data.Min() > 1e-3f, "the outputs must vary for equality to mean anything");
            var first = Enumerable.Range(0, e.Data.Length).FirstOrDefault(i => e.Data[i] != a.Data[i], -1);
            Assert.True(first < 0, $"voxel {first} differs: {(first < 0 ? 0 : e.Data[first]):R} alone, {(first < 0 ? 0 : a.Data[first]):R} in a batch");
        }
    }
}
