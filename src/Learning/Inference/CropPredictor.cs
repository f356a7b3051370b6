using HotDistance.Core.Volumes;
using HotDistance.Learning.Model;
using HotDistance.Learning.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace HotDistance.Learning.Inference;

/// <summary>
/// Runs a model over a whole crop. The crop is padded (edge replication) up to a size the U-Net accepts and
/// the output is cut back, so every voxel gets a prediction. Along an axis the network does not downsample
/// (Z of a planar network for thin stacks) nothing is padded, so a single-slice crop stays one slice.
/// </summary>
public static class CropPredictor
{
    /// <summary>
    /// Predicts every voxel of <paramref name="raw"/>. The model is moved to <paramref name="device"/> when it
    /// is elsewhere; null picks <see cref="ComputeDevices.Select"/>'s default (HD_DEVICE, else the GPU when
    /// there is one), and CPU forces the CPU. The result is always in host memory.
    /// </summary>
    public static Prediction Predict(UNet model, Volume<float> raw, IReadOnlyList<string> classes, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(raw);
        device ??= ComputeDevices.Select();
        model.to(device);
        var shape = raw.Shape;
        var multiple = model.Architecture.TotalDownsample();
        var padded = new long[3];
        for (var axis = 0; axis < 3; axis++)
        {
            padded[axis] = (shape[axis] + multiple[axis] - 1) / multiple[axis] * multiple[axis];
        }

        float[] output;
        model.eval();
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var input = tensor(raw.Data, [1, 1, shape.Z, shape.Y, shape.X]).to(device);
            // pad takes (x_before, x_after, y_before, y_after, z_before, z_after).
            var padding = new long[] { 0, padded[2] - shape.X, 0, padded[1] - shape.Y, 0, padded[0] - shape.Z };
            if (padding.Any(p => p > 0))
            {
                input = nn.functional.pad(input, padding, TorchSharp.PaddingModes.Replicate);
            }

            var result = model.forward(input)
                .narrow(2, 0, shape.Z).narrow(3, 0, shape.Y).narrow(4, 0, shape.X)
                .contiguous();
            output = result.cpu().data<float>().ToArray();
        }

        var heads = model.Heads;
        var voxels = (int)shape.Count;
        List<Volume<float>>? oneHot = heads.OneHot ? [] : null;
        List<Volume<float>>? distances = heads.Distance ? [] : null;
        for (var c = 0; c < heads.ClassCount; c++)
        {
            if (oneHot is not null)
            {
                var probabilities = new float[voxels];
                var source = output.AsSpan(c * voxels, voxels);
                for (var i = 0; i < voxels; i++)
                {
                    probabilities[i] = 1f / (1f + MathF.Exp(-source[i]));
                }

                oneHot.Add(new Volume<float>(shape, probabilities));
            }

            distances?.Add(new Volume<float>(shape, output.AsSpan((heads.DistanceOffset + c) * voxels, voxels).ToArray()));
        }

        return new Prediction(classes, oneHot, distances);
    }
}
