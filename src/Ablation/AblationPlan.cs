using HotDistance.Core.Volumes;
using HotDistance.Learning.Model;

namespace HotDistance.Ablation;

/// <summary>
/// An ablation as a runner elsewhere needs it: the grid and how cells train, and the crops (copied into the plan's
/// folder, named relative to it), the classes and the network every cell shares.
/// </summary>
public sealed record AblationPlan(
    AblationSettings Settings,
    IReadOnlyList<PlannedCrop> Training,
    IReadOnlyList<PlannedCrop> HeldOut,
    IReadOnlyList<string> Classes,
    IReadOnlyList<string> InstanceClasses,
    IReadOnlyList<string[]> MutuallyExclusive,
    ModelArchitecture Architecture,
    IntensityNormalization Intensity);

/// <summary>A crop of the plan: its id and content hash as the cells know it, and its Zarr dataset inside the plan's folder.</summary>
public sealed record PlannedCrop(string CropId, string Name, string ContentHash, string Dataset);
