using HotDistance.Contracts;
using HotDistance.Core.PostProcessing;
using HotDistance.Learning.Inference;
using HotDistance.Learning.Model;
using static TorchSharp.torch;

namespace HotDistance.Learning.Tasks;

/// <summary>Per-class tanh-normalised signed distance trained with MSE; segmented by t &gt; 0 and watershed.</summary>
public sealed class DistanceTask : SegmentationTask
{
    public override string Variant => Variants.Distance;

    public override HeadLayout Heads(int classCount) => new(classCount, OneHot: false, Distance: true);

    public override (Tensor Target, Tensor Weight) SelectTargets(TargetChannels targets) =>
        (targets.Distance.alias(), targets.DistanceWeight.alias());

    public override Tensor Loss(Tensor output, Tensor target, Tensor weight) =>
        MaskedLosses.MeanSquaredError(output, target, weight);

    public override ClassPrediction PostProcess(Prediction prediction, int classIndex, bool withInstances, PostProcessingOptions options)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        return ClassPostProcessor.FromDistance(prediction.Distances![classIndex], withInstances, options);
    }
}
