using HotDistance.Learning.Tasks;
using static TorchSharp.torch;

namespace HotDistance.Learning.Training;

/// <summary>A training crop as tensors: raw (1, Z, Y, X) as the network sees it (normalised) and the task's target and weight (K, Z, Y, X).</summary>
public sealed class CropTensors : IDisposable
{
    public CropTensors(TrainingCrop crop, Tensor raw, Tensor target, Tensor weight)
    {
        Crop = crop;
        Raw = raw;
        Target = target;
        Weight = weight;
    }

    public TrainingCrop Crop { get; }

    public Tensor Raw { get; }

    public Tensor Target { get; }

    public Tensor Weight { get; }

    public static CropTensors Create(TrainingCrop crop, IReadOnlyList<string> classes, SegmentationTask task, TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(crop);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(settings);
        var shape = crop.Crop.Shape;
        using var targets = TargetTensors.Build(crop.Crop, classes, settings);
        var (target, weight) = task.SelectTargets(targets);
        var raw = tensor(settings.Intensity.Apply(crop.Crop.Raw, crop.Crop.RawMaximum).Data, [1, shape.Z, shape.Y, shape.X]);
        return new CropTensors(crop, raw, target, weight);
    }

    public void Dispose()
    {
        Raw.Dispose();
        Target.Dispose();
        Weight.Dispose();
    }
}
