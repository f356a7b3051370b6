using HotDistance.Contracts;
using HotDistance.Core.PostProcessing;
using HotDistance.Learning.Inference;
using HotDistance.Learning.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace HotDistance.Learning.Tasks;

/// <summary>
/// Both heads: loss = BCE(one-hot) + lambda * MSE(distance). Semantics come from the one-hot head, instances
/// from a watershed on the distance head inside that mask.
/// </summary>
public sealed class HotDistanceTask(double distanceWeight = 1.0) : SegmentationTask
{
    public double Lambda { get; } = distanceWeight;

    public override string Variant => Variants.HotDistance;

    public override HeadLayout Heads(int classCount) => new(classCount, OneHot: true, Distance: true);

    public override (Tensor Target, Tensor Weight) SelectTargets(TargetChannels targets) =>
        (cat([targets.OneHot, targets.Distance], 0), cat([targets.OneHotWeight, targets.DistanceWeight], 0));

    public override Tensor Loss(Tensor output, Tensor target, Tensor weight)
    {
        var classes = output.shape[1] / 2;
        using var scope = NewDisposeScope();
        var oneHot = MaskedLosses.BinaryCrossEntropyWithLogits(
            output.narrow(1, 0, classes), target.narrow(1, 0, classes), weight.narrow(1, 0, classes));
        var distance = MaskedLosses.MeanSquaredError(
            output.narrow(1, classes, classes), target.narrow(1, classes, classes), weight.narrow(1, classes, classes));
        using var lambda = Lambda.ToScalar();
        return oneHot.add(distance.mul(lambda)).MoveToOuterDisposeScope();
    }

    public override ClassPrediction PostProcess(Prediction prediction, int classIndex, bool withInstances, PostProcessingOptions options)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        return ClassPostProcessor.FromHotDistance(prediction.OneHotProbabilities![classIndex], prediction.Distances![classIndex], withInstances, options);
    }
}
