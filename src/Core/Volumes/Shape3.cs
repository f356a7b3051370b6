namespace HotDistance.Core.Volumes;

/// <summary>A 3D extent in voxels, always in (Z, Y, X) order, matching Zarr's C order.</summary>
public readonly record struct Shape3(int Z, int Y, int X)
{
    public long Count => (long)Z * Y * X;

    public int this[int axis] => axis switch
    {
        0 => Z,
        1 => Y,
        2 => X,
        _ => throw new ArgumentOutOfRangeException(nameof(axis)),
    };

    public int Index(int z, int y, int x) => (z * Y + y) * X + x;

    public bool Contains(int z, int y, int x) =>
        (uint)z < (uint)Z && (uint)y < (uint)Y && (uint)x < (uint)X;

    public int[] ToArray() => [Z, Y, X];

    public static Shape3 FromArray(IReadOnlyList<int> dims) =>
        dims.Count == 3
            ? new Shape3(dims[0], dims[1], dims[2])
            : throw new ArgumentException($"expected 3 dimensions (z, y, x), got {dims.Count}", nameof(dims));

    public override string ToString() => $"{Z}x{Y}x{X}";
}
