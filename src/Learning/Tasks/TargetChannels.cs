using static TorchSharp.torch;

namespace HotDistance.Learning.Tasks;

/// <summary>
/// All four target arrays of a crop (or a patch), each (C, Z, Y, X) or batched (N, C, Z, Y, X). A task picks
/// the ones its heads learn from. Owns its tensors.
/// </summary>
public sealed class TargetChannels(Tensor oneHot, Tensor oneHotWeight, Tensor distance, Tensor distanceWeight) : IDisposable
{
    public Tensor OneHot { get; } = oneHot;

    public Tensor OneHotWeight { get; } = oneHotWeight;

    public Tensor Distance { get; } = distance;

    public Tensor DistanceWeight { get; } = distanceWeight;

    public void Dispose()
    {
        OneHot.Dispose();
        OneHotWeight.Dispose();
        Distance.Dispose();
        DistanceWeight.Dispose();
    }
}
