using HotDistance.Core.Volumes;

namespace HotDistance.Core.Synthetic;

/// <summary>What one synthetic crop looks like and which of its classes are annotated.</summary>
public sealed record SyntheticCropSpec(
    string Name,
    int Seed,
    Shape3 Shape,
    VoxelSize VoxelSize,
    IReadOnlyList<string> AnnotatedClasses,
    bool WithUnknownSlab = false);
