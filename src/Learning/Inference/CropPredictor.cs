using System.Runtime.InteropServices;
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
    /// On the CPU a lone window goes through the network beside a blank one. libtorch convolves a batch of one with
    /// its own im2col kernels (it expects them to be faster for small inputs), 2-4 times slower here than the oneDNN
    /// kernels it uses for larger batches, whose result for a window is the same whatever else is in the batch;
    /// batch-one floats differ from those by about 1e-7. Padding makes every window take oneDNN: faster, and each
    /// window's output independent of its batch (CropPredictorBatchTests).
    /// </summary>
    internal const int MinimumCpuBatch = 2;

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
        tiling ??= TilingOptions.Default;
        var plan = TilePlan.For(raw.Shape, model.Architecture, tiling);
        return PredictBlock(model, RawRegion.Whole(raw), plan, plan.Tiles, [0, 0, 0], raw.Shape, classes, device, tiling.BatchSize);
    }

    /// <summary>
    /// Predicts one block of a crop: the voxels [<paramref name="blockStart"/>, + <paramref name="blockShape"/>)
    /// covered by <paramref name="tiles"/> (those of the crop's <paramref name="plan"/> whose cores lie in the
    /// block), reading their windows from <paramref name="raw"/>. The windows, and so every predicted value, are
    /// those of a pass over the whole crop with the same plan; only the part in memory differs.
    /// </summary>
    public static Prediction PredictBlock(
        UNet model,
        RawRegion raw,
        TilePlan plan,
        IReadOnlyList<Tile> tiles,
        int[] blockStart,
        Shape3 blockShape,
        IReadOnlyList<string> classes,
        Device? device = null,
        int batchSize = 2)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentNullException.ThrowIfNull(blockStart);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        device ??= ComputeDevices.Select();
        model.to(device);
        model.eval();

        var heads = model.Heads;
        var channels = NewChannels(heads, blockShape);
        var buffers = new ForwardBuffers();
        for (var first = 0; first < tiles.Count;)
        {
            var batch = BatchAt(tiles, first, batchSize, plan.Core[2]);
            var windows = tiles.Skip(first).Take(batch).Select(t => (raw, t.WindowStart)).ToList();
            var output = Forward(model, device, plan.Window, windows, buffers);
            for (var b = 0; b < batch; b++)
            {
                CopyCores(output, b, heads, plan.Window, tiles[first + b], raw.Crop, blockStart, blockShape, channels);
            }

            first += batch;
        }

        return ToPrediction(channels, blockShape, heads, classes);
    }

    /// <summary>
    /// Predicts each of <paramref name="raws"/> in turn, lazily, with the same values as <see cref="Predict"/> for each.
    /// On the CPU, consecutive crops that each fit one window of one size (an evaluation's crops often do) go through
    /// the network together, up to the batch size, instead of each beside a blank window (<see cref="MinimumCpuBatch"/>).
    /// </summary>
    public static IEnumerable<Prediction> PredictEach(UNet model, IEnumerable<Volume<float>> raws, IReadOnlyList<string> classes, Device? device = null, TilingOptions? tiling = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(raws);
        ArgumentNullException.ThrowIfNull(classes);
        tiling ??= TilingOptions.Default;
        device ??= ComputeDevices.Select();
        return PredictEachLazily(model, raws, classes, device, tiling);
    }

    private static IEnumerable<Prediction> PredictEachLazily(UNet model, IEnumerable<Volume<float>> raws, IReadOnlyList<string> classes, Device device, TilingOptions tiling)
    {
        model.to(device);
        model.eval();
        var together = new List<(Volume<float> Raw, Tile Tile)>();
        int[]? window = null;
        foreach (var raw in raws)
        {
            var plan = TilePlan.For(raw.Shape, model.Architecture, tiling);
            var tiles = plan.Tiles;
            var joins = device.type == DeviceType.CPU && tiles.Count == 1;
            if (together.Count > 0 && !(joins && plan.Window.SequenceEqual(window!)))
            {
                foreach (var prediction in PredictTogether(model, device, window!, together, classes))
                {
                    yield return prediction;
                }

                together.Clear();
            }

            if (!joins)
            {
                yield return PredictBlock(model, RawRegion.Whole(raw), plan, tiles, [0, 0, 0], raw.Shape, classes, device, tiling.BatchSize);
                continue;
            }

            together.Add((raw, tiles[0]));
            window = plan.Window;
            if (together.Count == tiling.BatchSize)
            {
                foreach (var prediction in PredictTogether(model, device, window, together, classes))
                {
                    yield return prediction;
                }

                together.Clear();
            }
        }

        if (together.Count > 0)
        {
            foreach (var prediction in PredictTogether(model, device, window!, together, classes))
            {
                yield return prediction;
            }
        }
    }

    /// <summary>Crops of one window each, of the same size, in one forward pass.</summary>
    private static List<Prediction> PredictTogether(UNet model, Device device, int[] window, List<(Volume<float> Raw, Tile Tile)> crops, IReadOnlyList<string> classes)
    {
        var output = Forward(model, device, window, crops.Select(c => (RawRegion.Whole(c.Raw), c.Tile.WindowStart)).ToList(), new ForwardBuffers());
        var predictions = new List<Prediction>(crops.Count);
        for (var b = 0; b < crops.Count; b++)
        {
            var shape = crops[b].Raw.Shape;
            var channels = NewChannels(model.Heads, shape);
            CopyCores(output, b, model.Heads, window, crops[b].Tile, shape, [0, 0, 0], shape, channels);
            predictions.Add(ToPrediction(channels, shape, model.Heads, classes));
        }

        return predictions;
    }

    /// <summary>
    /// The network's output (N, channels, window) for <paramref name="windows"/>, padded on the CPU to
    /// <see cref="MinimumCpuBatch"/>, in <paramref name="buffers"/>' output array (valid until the next pass).
    /// </summary>
    private static float[] Forward(UNet model, Device device, int[] window, IReadOnlyList<(RawRegion Raw, int[] Start)> windows, ForwardBuffers buffers)
    {
        var windowVoxels = window[0] * window[1] * window[2];
        var passes = device.type == DeviceType.CPU ? Math.Max(windows.Count, MinimumCpuBatch) : windows.Count;
        var input = buffers.Input(passes * windowVoxels);
        for (var b = 0; b < windows.Count; b++)
        {
            CopyWindow(windows[b].Raw, windows[b].Start, window, input.AsSpan(b * windowVoxels, windowVoxels));
        }

        input.AsSpan(windows.Count * windowVoxels).Clear();
        using (no_grad())
        using (NewDisposeScope())
        {
            var output = model.forward(tensor(input, [passes, 1, window[0], window[1], window[2]]).to(device)).contiguous().cpu();
            var values = buffers.Output(checked((int)output.numel()));
            // One block copy of the contiguous output (data<float>() copies element by element: 0.3 s a pass here).
            MemoryMarshal.Cast<byte, float>(output.bytes).CopyTo(values);
            return values;
        }
    }

    /// <summary>
    /// A pass's host arrays, kept from one batch to the next: a block's tiles would otherwise leave two arrays of
    /// tens to hundreds of MB on the large object heap per batch, uncollected while the next batch's network runs.
    /// </summary>
    private sealed class ForwardBuffers
    {
        private float[] input = [];
        private float[] output = [];

        public float[] Input(int length) => input.Length == length ? input : input = new float[length];

        public float[] Output(int length) => output.Length == length ? output : output = new float[length];
    }

    private static float[][] NewChannels(HeadLayout heads, Shape3 shape)
    {
        var voxels = checked((int)shape.Count);
        var channels = new float[heads.Channels][];
        for (var c = 0; c < channels.Length; c++)
        {
            channels[c] = new float[voxels];
        }

        return channels;
    }

    /// <summary>Copies the core of the <paramref name="index"/>th window of <paramref name="output"/> into every channel.</summary>
    private static void CopyCores(float[] output, int index, HeadLayout heads, int[] window, Tile tile, Shape3 crop, int[] blockStart, Shape3 blockShape, float[][] channels)
    {
        var windowVoxels = window[0] * window[1] * window[2];
        var tileOutput = output.AsSpan(index * heads.Channels * windowVoxels, heads.Channels * windowVoxels);
        for (var c = 0; c < heads.Channels; c++)
        {
            CopyCore(tileOutput.Slice(c * windowVoxels, windowVoxels), window, tile, crop, blockStart, blockShape, channels[c]);
        }
    }

    private static Prediction ToPrediction(float[][] channels, Shape3 shape, HeadLayout heads, IReadOnlyList<string> classes)
    {
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

    /// <summary>
    /// How many tiles from <paramref name="first"/> go through the network together: a run along X of at most
    /// <paramref name="batchSize"/> tiles that starts at a multiple of the batch size in tile columns. Batches are so
    /// the same in a whole-crop pass and in a block whose X extent is a multiple of batch size x core, which matters
    /// because a GPU's floating-point results can depend (slightly) on what a window is batched with (on the CPU
    /// they do not, see <see cref="MinimumCpuBatch"/>).
    /// </summary>
    private static int BatchAt(IReadOnlyList<Tile> tiles, int first, int batchSize, int coreX)
    {
        var head = tiles[first];
        var group = head.CoreStart[2] / coreX / batchSize;
        var count = 1;
        while (count < batchSize && first + count < tiles.Count)
        {
            var next = tiles[first + count];
            if (next.CoreStart[0] != head.CoreStart[0] || next.CoreStart[1] != head.CoreStart[1] || next.CoreStart[2] / coreX / batchSize != group)
            {
                break;
            }

            count++;
        }

        return count;
    }

    /// <summary>Fills a window from the crop, replicating the last voxel beyond the crop's far edges.</summary>
    private static void CopyWindow(RawRegion raw, int[] start, int[] window, Span<float> target)
    {
        var crop = raw.Crop;
        var held = raw.Data.Shape;
        var data = raw.Data.Data;
        var origin = raw.Origin;
        var index = 0;
        for (var z = 0; z < window[0]; z++)
        {
            var sz = Math.Min(start[0] + z, crop.Z - 1) - origin[0];
            for (var y = 0; y < window[1]; y++)
            {
                var sy = Math.Min(start[1] + y, crop.Y - 1) - origin[1];
                var row = held.Index(sz, sy, 0);
                var x0 = start[2] - origin[2];
                var inside = Math.Clamp(crop.X - start[2], 0, window[2]);
                data.AsSpan(row + x0, inside).CopyTo(target.Slice(index, inside));
                if (inside < window[2])
                {
                    target.Slice(index + inside, window[2] - inside).Fill(data[row + crop.X - 1 - origin[2]]);
                }

                index += window[2];
            }
        }
    }

    /// <summary>Writes the part of a tile's core that lies inside the crop into the block's channel.</summary>
    private static void CopyCore(ReadOnlySpan<float> tile, int[] window, Tile placement, Shape3 crop, int[] blockStart, Shape3 block, float[] target)
    {
        var sizeZ = Math.Min(placement.CoreSize[0], crop.Z - placement.CoreStart[0]);
        var sizeY = Math.Min(placement.CoreSize[1], crop.Y - placement.CoreStart[1]);
        var sizeX = Math.Min(placement.CoreSize[2], crop.X - placement.CoreStart[2]);
        var offsetZ = placement.CoreStart[0] - placement.WindowStart[0];
        var offsetY = placement.CoreStart[1] - placement.WindowStart[1];
        var offsetX = placement.CoreStart[2] - placement.WindowStart[2];
        for (var z = 0; z < sizeZ; z++)
        {
            for (var y = 0; y < sizeY; y++)
            {
                var source = ((((offsetZ + z) * window[1]) + offsetY + y) * window[2]) + offsetX;
                var destination = block.Index(placement.CoreStart[0] + z - blockStart[0], placement.CoreStart[1] + y - blockStart[1], placement.CoreStart[2] - blockStart[2]);
                tile.Slice(source, sizeX).CopyTo(target.AsSpan(destination, sizeX));
            }
        }
    }
}
