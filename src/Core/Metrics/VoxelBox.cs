namespace HotDistance.Core.Metrics;

/// <summary>An axis-aligned box of voxels, start inclusive and end exclusive, (Z, Y, X).</summary>
internal readonly record struct VoxelBox(int Z0, int Y0, int X0, int Z1, int Y1, int X1)
{
    public static VoxelBox Empty { get; } = new(int.MaxValue, int.MaxValue, int.MaxValue, int.MinValue, int.MinValue, int.MinValue);

    public bool IsEmpty => Z1 <= Z0 || Y1 <= Y0 || X1 <= X0;

    public VoxelBox Include(int z, int y, int x) =>
        new(Math.Min(Z0, z), Math.Min(Y0, y), Math.Min(X0, x), Math.Max(Z1, z + 1), Math.Max(Y1, y + 1), Math.Max(X1, x + 1));

    public VoxelBox Union(VoxelBox other) =>
        IsEmpty ? other
        : other.IsEmpty ? this
        : new(Math.Min(Z0, other.Z0), Math.Min(Y0, other.Y0), Math.Min(X0, other.X0), Math.Max(Z1, other.Z1), Math.Max(Y1, other.Y1), Math.Max(X1, other.X1));
}
