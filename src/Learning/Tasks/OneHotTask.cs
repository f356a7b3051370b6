using HotDistance.Contracts;
using HotDistance.Core.PostProcessing;
using HotDistance.Learning.Inference;
using HotDistance.Learning.Model;
using static TorchSharp.torch;

namespace HotDistance.Learning.Tasks;

/// <summary>Per-class logits trained with BCE; segmented by threshold 0.5 and connected components.</summary>
public sealed class OneHotTask : SegmentationTask
{
    public override string Variant => Variants.OneHot;

    public override HeadLayout Heads(int classCount) => new(classCount, OneHot: true, Distance: false);

    public override (Tensor Target, Tensor Weight) SelectTargets(TargetChannels targets) =>
        (targets.OneHot.alias(), targets.OneHotWeight.alias());

    public override Tensor Loss(Tensor output, Tensor target, Tensor weight) =>
        MaskedLosses.BinaryCrossEntropyWithLogits(output, target, weight);

    public override ClassPrediction PostProcess(Prediction prediction, int classIndex, bool withInstances, PostProcessingOptions options)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        return ClassPostProcessor.FromOneHot(prediction.OneHotProbabilities![classIndex], withInstances, options);
    }
}
