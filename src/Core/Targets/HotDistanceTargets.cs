using HotDistance.Core.Volumes;

namespace HotDistance.Core.Targets;

/// <summary>
/// Per-class targets and weights of one crop. Every array is C order (C, Z, Y, X) with C = the class count, in
/// the order of <see cref="ClassNames"/>.
/// </summary>
public sealed class HotDistanceTargets
{
    public required IReadOnlyList<string> ClassNames { get; init; }

    public required IReadOnlyList<ClassTargetSource> Sources { get; init; }

    /// <summary>Spatial shape (Z, Y, X) of one channel.</summary>
    public required Shape3 Shape { get; init; }

    public required VoxelSize VoxelSize { get; init; }

    /// <summary>1 where the class is present, 0 elsewhere (also where unknown).</summary>
    public required float[] OneHot { get; init; }

    /// <summary>Class-balanced weight of the one-hot channel; 0 where the voxel's class membership is unknown.</summary>
    public required float[] OneHotWeight { get; init; }

    /// <summary>t = tanh(d / s), d the signed boundary distance in nm (positive inside); 0 where unknown.</summary>
    public required float[] Distance { get; init; }

    /// <summary>Class-balanced weight of the distance channel; 0 where d cannot be trusted.</summary>
    public required float[] DistanceWeight { get; init; }

    public int ClassCount => ClassNames.Count;

    /// <summary>(C, Z, Y, X), as a tensor library wants it.</summary>
    public long[] TensorShape => [ClassCount, Shape.Z, Shape.Y, Shape.X];

    /// <summary>The voxels of one class's channel within one of the arrays above.</summary>
    public Span<float> Channel(float[] array, int classIndex)
    {
        ArgumentNullException.ThrowIfNull(array);
        ArgumentOutOfRangeException.ThrowIfNegative(classIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(classIndex, ClassCount);
        var size = (int)Shape.Count;
        return array.AsSpan(classIndex * size, size);
    }
}
