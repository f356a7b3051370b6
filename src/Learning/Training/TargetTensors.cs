using HotDistance.Core.Crops;
using HotDistance.Core.Targets;
using HotDistance.Learning.Tasks;
using static TorchSharp.torch;

namespace HotDistance.Learning.Training;

/// <summary>Computes a crop's Hot-Distance targets and weights and wraps them as (C, Z, Y, X) tensors.</summary>
public static class TargetTensors
{
    public static TargetChannels Build(Crop crop, IReadOnlyList<string> classes, TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = new HotDistanceTargetBuilder(new HotDistanceTargetSettings
        {
            ScaleNm = settings.DistanceScaleNm,
            MutualExclusions = new MutualExclusions(settings.MutuallyExclusive.Select(p => (p[0], p[1]))),
        });
        var targets = builder.Build(crop, classes);
        var shape = targets.TensorShape;
        return new TargetChannels(
            tensor(targets.OneHot, shape),
            tensor(targets.OneHotWeight, shape),
            tensor(targets.Distance, shape),
            tensor(targets.DistanceWeight, shape));
    }
}
