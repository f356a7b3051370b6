using HotDistance.Core.Volumes;
using HotDistance.Learning.Inference;
using HotDistance.Learning.Model;
using HotDistance.Learning.Runtime;
using HotDistance.Tests.Learning;
using static TorchSharp.torch;

namespace HotDistance.Tests.Inference;

[Collection(LearningRunsDefinition.Name)]
public class TiledInferenceTests
{
    private static readonly string[] Classes = ["mito", "er"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Tiles_stitched_together_equal_one_pass_over_the_whole_crop(bool planar)
    {
        TorchRuntime.EnsureLoaded();
        // Two poolings, so windows must stay on the pooling grid; odd sizes, so the far edges are padded.
        var architecture = new ModelArchitecture(4, 2, planar ? [[1, 2, 2], [1, 2, 2]] : [[2, 2, 2], [2, 2, 2]], Planar: planar);
        using var model = new UNet(architecture, new HeadLayout(Classes.Length, OneHot: true, Distance: true), seed: 3);
        var raw = RandomRaw(new Shape3(planar ? 5 : 12, 70, 68), seed: 11);
        var tiling = new TilingOptions { CoreSize = [24, 16, 16], BatchSize = 3 };

        var plan = TilePlan.For(raw.Shape, architecture, tiling);
        var whole = CropPredictor.Predict(model, raw, Classes, CPU, new TilingOptions { CoreSize = [1024, 1024, 1024] });
        var tiled = CropPredictor.Predict(model, raw, Classes, CPU, tiling);

        // Really tiled: several windows, each smaller than the crop, so memory follows the window.
        Assert.True(plan.Tiles.Count >= 15, $"only {plan.Tiles.Count} tiles");
        Assert.True(plan.Window[1] < raw.Shape.Y && plan.Window[2] < raw.Shape.X);
        for (var c = 0; c < Classes.Length; c++)
        {
            AssertClose(whole.OneHotProbabilities![c], tiled.OneHotProbabilities![c]);
            AssertClose(whole.Distances![c], tiled.Distances![c]);
        }
    }

    [Fact]
    public void Too_little_context_would_show_seams_so_the_context_is_what_makes_tiles_exact()
    {
        TorchRuntime.EnsureLoaded();
        var architecture = new ModelArchitecture(4, 2, [[2, 2, 2]]);
        using var model = new UNet(architecture, new HeadLayout(1, OneHot: false, Distance: true), seed: 5);
        var raw = RandomRaw(new Shape3(24, 24, 40), seed: 2);

        var context = ReceptiveContext.Of(architecture);
        var whole = CropPredictor.Predict(model, raw, ["mito"], CPU, new TilingOptions { CoreSize = [64, 64, 64] });

        // One level: two convolutions, a pooling, two at stride 2, two more on the way up: 2 + 4 + 2 = 8.
        Assert.Equal([8, 8, 8], context);
        // A window with a core of 8 and 8 either side equals the whole; cutting the same crop by hand with
        // half the context does not.
        var tiled = CropPredictor.Predict(model, raw, ["mito"], CPU, new TilingOptions { CoreSize = [8, 8, 8] });
        AssertClose(whole.Distances![0], tiled.Distances![0]);
        var shortWindow = PredictWindow(model, raw, xStart: 12, width: 16);
        var maxDifference = 0f;
        for (var x = 16; x < 24; x++)
        {
            maxDifference = Math.Max(maxDifference, Math.Abs(shortWindow[12, 12, x - 12] - whole.Distances![0][12, 12, x]));
        }

        Assert.True(maxDifference > 1e-5f, "a window with only 4 voxels of context matched the whole crop; the context test proves nothing");
    }

    [Fact]
    public void Tile_plan_covers_every_voxel_exactly_once_with_equal_windows_on_the_pooling_grid()
    {
        var architecture = ModelArchitecture.Small;
        var shape = new Shape3(37, 130, 101);
        var plan = TilePlan.For(shape, architecture, new TilingOptions { CoreSize = [16, 30, 40] });

        var covered = new int[shape.Count];
        foreach (var tile in plan.Tiles)
        {
            for (var axis = 0; axis < 3; axis++)
            {
                Assert.Equal(0, tile.WindowStart[axis] % 4);
                Assert.Equal(0, tile.CoreStart[axis] % 4);
                Assert.True(tile.WindowStart[axis] + plan.Window[axis] <= plan.Padded[axis]);
                var before = tile.CoreStart[axis] - tile.WindowStart[axis];
                var after = tile.WindowStart[axis] + plan.Window[axis] - (tile.CoreStart[axis] + tile.CoreSize[axis]);
                // Context on each side, unless the window reaches the crop's (padded) edge there.
                Assert.True(before >= plan.Context[axis] || tile.WindowStart[axis] == 0);
                Assert.True(after >= plan.Context[axis] || tile.WindowStart[axis] + plan.Window[axis] == plan.Padded[axis]);
            }

            for (var z = tile.CoreStart[0]; z < Math.Min(shape.Z, tile.CoreStart[0] + tile.CoreSize[0]); z++)
            {
                for (var y = tile.CoreStart[1]; y < Math.Min(shape.Y, tile.CoreStart[1] + tile.CoreSize[1]); y++)
                {
                    for (var x = tile.CoreStart[2]; x < Math.Min(shape.X, tile.CoreStart[2] + tile.CoreSize[2]); x++)
                    {
                        covered[shape.Index(z, y, x)]++;
                    }
                }
            }
        }

        Assert.All(covered, count => Assert.Equal(1, count));
        // Z: core 16 plus 24 either side is more than the 40 padded slices, so the window is the whole axis.
        Assert.Equal([40, 32 + (2 * 24), 40 + (2 * 24)], plan.Window);
    }

    private static Volume<float> PredictWindow(UNet model, Volume<float> raw, int xStart, int width)
    {
        var shape = new Shape3(raw.Shape.Z, raw.Shape.Y, width);
        var window = new Volume<float>(shape);
        for (var z = 0; z < shape.Z; z++)
        {
            for (var y = 0; y < shape.Y; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    window[z, y, x] = raw[z, y, xStart + x];
                }
            }
        }

        var prediction = CropPredictor.Predict(model, window, ["mito"], CPU, new TilingOptions { CoreSize = [64, 64, 64] });
        return prediction.Distances![0];
    }

    internal static Volume<float> RandomRaw(Shape3 shape, int seed)
    {
        var random = new Random(seed);
        var data = new float[shape.Count];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)random.NextDouble();
        }

        return new Volume<float>(shape, data);
    }

    private static void AssertClose(Volume<float> expected, Volume<float> actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var worst = 0f;
        for (var i = 0; i < expected.Data.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected.Data[i] - actual.Data[i]));
        }

        // Float noise between the two is ~1e-7; a tile short of context is off by ~1e-5 (see the seam test).
        Assert.True(worst < 1e-6f, $"tiled and whole-crop predictions differ by up to {worst}");
        // The outputs must vary across the crop for equality to mean anything.
        Assert.True(expected.Data.Max() - expected.Data.Min() > 1e-3f);
    }
}
