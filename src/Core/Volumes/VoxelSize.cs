namespace HotDistance.Core.Volumes;

/// <summary>Physical voxel size in nanometres, (Z, Y, X) order.</summary>
public readonly record struct VoxelSize(double Z, double Y, double X)
{
    public static VoxelSize Isotropic(double nm) => new(nm, nm, nm);

    public double this[int axis] => axis switch
    {
        0 => Z,
        1 => Y,
        2 => X,
        _ => throw new ArgumentOutOfRangeException(nameof(axis)),
    };

    public double Min => Math.Min(Z, Math.Min(Y, X));

    public bool IsValid => Z > 0 && Y > 0 && X > 0 && double.IsFinite(Z) && double.IsFinite(Y) && double.IsFinite(X);

    public double[] ToArray() => [Z, Y, X];

    public static VoxelSize FromArray(IReadOnlyList<double> nm) =>
        nm.Count == 3
            ? new VoxelSize(nm[0], nm[1], nm[2])
            : throw new ArgumentException($"expected 3 voxel sizes (z, y, x), got {nm.Count}", nameof(nm));

    public override string ToString() => $"{Z}x{Y}x{X} nm";
}
