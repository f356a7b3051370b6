using HotDistance.Learning.Runtime;
using static TorchSharp.torch;

namespace HotDistance.Learning.Training;

/// <summary>A batch of training patches: input (N, 1, z, y, x), target and weight (N, K, z, y, x).</summary>
public sealed record PatchBatch(Tensor Input, Tensor Target, Tensor Weight)
{
    /// <summary>
    /// The batch on <paramref name="device"/>; itself when it is there already. Crops stay in host memory and
    /// only each step's batch travels, so GPU memory holds the model and one batch however many crops there are.
    /// </summary>
    public PatchBatch To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return ComputeDevices.Holds(device, Input)
            ? this
            : new PatchBatch(Input.to(device), Target.to(device), Weight.to(device));
    }
}
