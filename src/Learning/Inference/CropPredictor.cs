using HotDistance.Core.Volumes;
using HotDistance.Learning.Model;
using HotDistance.Learning.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace HotDistance.Learning.Inference;

/// <summary>
/// Runs a model over a whole crop of any size, tile by tile (<see cref="TilePlan"/>): each tile's window carries
/// the network's full receptive context, so the stitched result equals one pass over the whole crop while device
/// memory stays bounded by the window. The crop is padded (edge replication) up to a size the U-Net accepts and
/// the output is cut back, so every voxel gets a prediction. Along an axis the network does not downsample
/// (Z of a planar network for thin stacks) nothing is padded, so a single-slice crop stays one slice.
/// </summary>
public static class CropPredictor
{
    /// <summary>
    /// Predicts every voxel of <paramref name="raw"/>. The model is moved to <paramref name="device"/> when it
    /// is elsewhere; null picks <see cref="ComputeDevices.Select"/>'s default (the GPU when
    /// there is one), and CPU forces the CPU. The result is always in host memory. <paramref name="tiling"/>
    /// null uses <see cref="TilingOptions.Default"/>.
    /// </summary>
    public static Prediction Predict(UNet model, Volume<float> raw, IReadOnlyList<string> classes, Device? device = null, TilingOptions? tiling = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(classes);
        tiling ??= TilingOptions.Default;
        device ??= ComputeDevices.Select();
        model.to(device);
        model.eval();

        var shape = raw.Shape;
        var plan = TilePlan.For(shape, model.Architecture, tiling);
        var heads = model.Heads;
        var voxels = checked((int)shape.Count);
        var channels = new float[heads.Channels][];
        for (var c = 0; c < channels.Length; c++)
        {
            channels[c] = new float[voxels];
        }

        var window = plan.Window;
        var windowVoxels = window[0] * window[1] * window[2];
        var tiles = plan.Tiles;
        for (var first = 0; first < tiles.Count; first += tiling.BatchSize)
        {
            var batch = Math.Min(tiling.BatchSize, tiles.Count - first);
            var input = new float[batch * windowVoxels];
            for (var b = 0; b < batch; b++)
            {
                CopyWindow(raw, tiles[first + b].WindowStart, window, input.AsSpan(b * windowVoxels, windowVoxels));
            }

            float[] output;
            using (no_grad())
            using (NewDisposeScope())
            {
                var tensorInput = tensor(input, [batch, 1, window[0], window[1], window[2]]).to(device);
                output = model.forward(tensorInput).contiguous().cpu().data<float>().ToArray();
            }

            for (var b = 0; b < batch; b++)
            {
                var tileOutput = output.AsSpan(b * heads.Channels * windowVoxels, heads.Channels * windowVoxels);
                for (var c = 0; c < heads.Channels; c++)
                {
                    CopyCore(tileOutput.Slice(c * windowVoxels, windowVoxels), window, tiles[first + b], shape, channels[c]);
                }
            }
        }

        List<Volume<float>>? oneHot = heads.OneHot ? [] : null;
        List<Volume<float>>? distances = heads.Distance ? [] : null;
        for (var c = 0; c < heads.ClassCount; c++)
        {
            if (oneHot is not null)
            {
                var logits = channels[c];
                for (var i = 0; i < logits.Length; i++)
                {
                    logits[i] = 1f / (1f + MathF.Exp(-logits[i]));
                }

                oneHot.Add(new Volume<float>(shape, logits));
            }

            distances?.Add(new Volume<float>(shape, channels[heads.DistanceOffset + c]));
        }

        return new Prediction(classes, oneHot, distances);
    }

    /// <summary>Fills a window from the crop, replicating the last voxel beyond the crop's far edges.</summary>
    private static void CopyWindow(Volume<float> raw, int[] start, int[] window, Span<float> target)
    {
        var shape = raw.Shape;
        var data = raw.Data;
        var index = 0;
        for (var z = 0; z < window[0]; z++)
        {
            var sz = Math.Min(start[0] + z, shape.Z - 1);
            for (var y = 0; y < window[1]; y++)
            {
                var sy = Math.Min(start[1] + y, shape.Y - 1);
                var row = shape.Index(sz, sy, 0);
                var inside = Math.Clamp(shape.X - start[2], 0, window[2]);
                data.AsSpan(row + start[2], inside).CopyTo(target.Slice(index, inside));
                target.Slice(index + inside, window[2] - inside).Fill(data[row + shape.X - 1]);
                index += window[2];
            }
        }
    }

    /// <summary>Writes the part of a tile's core that lies inside the crop into the whole-crop channel.</summary>
    private static void CopyCore(ReadOnlySpan<float> tile, int[] window, Tile placement, Shape3 shape, float[] target)
    {
        var sizeZ = Math.Min(placement.CoreSize[0], shape.Z - placement.CoreStart[0]);
        var sizeY = Math.Min(placement.CoreSize[1], shape.Y - placement.CoreStart[1]);
        var sizeX = Math.Min(placement.CoreSize[2], shape.X - placement.CoreStart[2]);
        var offsetZ = placement.CoreStart[0] - placement.WindowStart[0];
        var offsetY = placement.CoreStart[1] - placement.WindowStart[1];
        var offsetX = placement.CoreStart[2] - placement.WindowStart[2];
        for (var z = 0; z < sizeZ; z++)
        {
            for (var y = 0; y < sizeY; y++)
            {
                var source = ((((offsetZ + z) * window[1]) + offsetY + y) * window[2]) + offsetX;
                var destination = shape.Index(placement.CoreStart[0] + z, placement.CoreStart[1] + y, placement.CoreStart[2]);
                tile.Slice(source, sizeX).CopyTo(target.AsSpan(destination, sizeX));
            }
        }
    }
}
