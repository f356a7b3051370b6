using static TorchSharp.torch;

namespace HotDistance.Learning.Training;

/// <summary>A batch of training patches: input (N, 1, z, y, x), target and weight (N, K, z, y, x).</summary>
public sealed record PatchBatch(Tensor Input, Tensor Target, Tensor Weight);
