using HotDistance.Core.Crops;
using HotDistance.Core.Volumes;
using HotDistance.Learning.Model;
using HotDistance.Learning.Training;

namespace HotDistance.Ablation;

/// <summary>
/// What every cell shares: the training crops in full (each cell thins them), the held-out crops (never thinned),
/// the classes learnt and scored, and how the network is built and fed.
/// </summary>
public sealed record AblationInputs(
    IReadOnlyList<TrainingCrop> Training,
    IReadOnlyList<Crop> HeldOut,
    IReadOnlyList<string> Classes,
    IReadOnlySet<string> InstanceClasses,
    IReadOnlyList<string[]> MutuallyExclusive,
    ModelArchitecture Architecture,
    IntensityNormalization Intensity,
    string? Device = null);
