using HotDistance.Core.PostProcessing;
using HotDistance.Learning.Inference;
using HotDistance.Learning.Model;
using static TorchSharp.torch;

namespace HotDistance.Learning.Tasks;

/// <summary>
/// A learning task in dacapo's sense: which heads the network has (the predictor's targets and weights), how
/// its output is scored during training (the loss), and how it becomes a segmentation (the post-processor).
/// The three variants differ only here; the backbone, the data and the training loop are shared.
/// </summary>
public abstract class SegmentationTask
{
    public abstract string Variant { get; }

    public abstract HeadLayout Heads(int classCount);

    /// <summary>The target and weight tensors matching this task's output channels.</summary>
    public abstract (Tensor Target, Tensor Weight) SelectTargets(TargetChannels targets);

    /// <summary>The weighted loss of a network output against <see cref="SelectTargets"/>'s result.</summary>
    public abstract Tensor Loss(Tensor output, Tensor target, Tensor weight);

    /// <summary>Turns the prediction of class <paramref name="classIndex"/> into a mask and, if asked, instances.</summary>
    public abstract ClassPrediction PostProcess(Prediction prediction, int classIndex, bool withInstances, PostProcessingOptions options);
}
