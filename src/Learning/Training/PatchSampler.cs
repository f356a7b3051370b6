using TorchSharp;
using static TorchSharp.torch;

namespace HotDistance.Learning.Training;

/// <summary>
/// Draws random patches across crops, newer crops more often than replayed older ones, with flips, in-plane
/// 90-degree rotations and intensity jitter. Each step's draws depend only on (seed, step), so a resumed run
/// sees exactly the batches the uninterrupted run would have.
/// </summary>
public sealed class PatchSampler
{
    private readonly IReadOnlyList<CropTensors> crops;
    private readonly double[] cumulativeWeights;
    private readonly long[] patch;
    private readonly int batchSize;
    private readonly int seed;

    public PatchSampler(IReadOnlyList<CropTensors> crops, int patchSize, int[] sizeMultiple, int batchSize, int seed, double newCropWeight)
    {
        ArgumentNullException.ThrowIfNull(crops);
        ArgumentNullException.ThrowIfNull(sizeMultiple);
        if (crops.Count == 0)
        {
            throw new ArgumentException("no crops to train on", nameof(crops));
        }

        this.crops = crops;
        this.batchSize = batchSize;
        this.seed = seed;
        patch = new long[3];
        for (var axis = 0; axis < 3; axis++)
        {
            var smallest = crops.Min(c => c.Raw.shape[axis + 1]);
            patch[axis] = Math.Min(patchSize, smallest) / sizeMultiple[axis] * sizeMultiple[axis];
            if (patch[axis] == 0)
            {
                var crop = crops.First(c => c.Raw.shape[axis + 1] == smallest).Crop;
                throw new ArgumentException(
                    $"crop {crop.CropId} ({crop.Crop.Name}) is {smallest} voxels along axis {"zyx"[axis]}, smaller than the network's downsampling ({sizeMultiple[axis]}): use a larger crop or a network with less downsampling on that axis",
                    nameof(crops));
            }
        }

        cumulativeWeights = new double[crops.Count];
        var total = 0.0;
        for (var i = 0; i < crops.Count; i++)
        {
            total += crops[i].Crop.IsNew ? newCropWeight : 1.0;
            cumulativeWeights[i] = total;
        }
    }

    public IReadOnlyList<long> PatchShape => patch;

    /// <summary>Builds the batch of <paramref name="step"/>; call inside the caller's dispose scope.</summary>
    public PatchBatch Sample(int step)
    {
        var random = new Random(unchecked((seed * 1_000_003) + step));
        var inputs = new Tensor[batchSize];
        var targets = new Tensor[batchSize];
        var weights = new Tensor[batchSize];
        for (var b = 0; b < batchSize; b++)
        {
            var crop = crops[PickCrop(random)];
            var start = new long[3];
            for (var axis = 0; axis < 3; axis++)
            {
                start[axis] = random.NextInt64(crop.Raw.shape[axis + 1] - patch[axis] + 1);
            }

            inputs[b] = Cut(crop.Raw, start);
            targets[b] = Cut(crop.Target, start);
            weights[b] = Cut(crop.Weight, start);
        }

        var input = stack(inputs);
        var target = stack(targets);
        var weight = stack(weights);
        for (long dim = 2; dim <= 4; dim++)
        {
            if (random.Next(2) == 1)
            {
                input = input.flip(dim);
                target = target.flip(dim);
                weight = weight.flip(dim);
            }
        }

        var turns = patch[1] == patch[2] ? random.Next(4) : 0;
        if (turns > 0)
        {
            input = input.rot90(turns, (3, 4));
            target = target.rot90(turns, (3, 4));
            weight = weight.rot90(turns, (3, 4));
        }

        // Held as Scalars for the calls (see UNet.forward): an implicit temporary could be finalized while libtorch reads it.
        using var gain = (0.9 + (0.2 * random.NextDouble())).ToScalar();
        using var offset = (-0.05 + (0.1 * random.NextDouble())).ToScalar();
        input = input.mul(gain).add(offset);
        return new PatchBatch(input.contiguous(), target.contiguous(), weight.contiguous());
    }

    private int PickCrop(Random random)
    {
        var x = random.NextDouble() * cumulativeWeights[^1];
        var index = Array.BinarySearch(cumulativeWeights, x);
        return Math.Min(index < 0 ? ~index : index, crops.Count - 1);
    }

    private Tensor Cut(Tensor volume, long[] start) =>
        volume.narrow(1, start[0], patch[0]).narrow(2, start[1], patch[1]).narrow(3, start[2], patch[2]);
}
