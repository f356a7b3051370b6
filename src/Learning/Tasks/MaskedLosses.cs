using static TorchSharp.torch;

namespace HotDistance.Learning.Tasks;

/// <summary>
/// Voxel-weighted losses averaged over all voxels (as dacapo does), so a zero weight contributes neither loss
/// nor gradient: that is what lets a crop that does not annotate a class leave that class's channels alone.
/// </summary>
public static class MaskedLosses
{
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target, Tensor weight)
    {
        using var perVoxel = nn.functional.binary_cross_entropy_with_logits(logits, target, reduction: nn.Reduction.None);
        using var weighted = perVoxel * weight;
        return weighted.mean();
    }

    public static Tensor MeanSquaredError(Tensor prediction, Tensor target, Tensor weight)
    {
        using var difference = prediction - target;
        using var squared = difference.square();
        using var weighted = squared * weight;
        return weighted.mean();
    }
}
