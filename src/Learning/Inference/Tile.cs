namespace HotDistance.Learning.Inference;

/// <summary>
/// One tile, per axis (z, y, x) in voxels of the padded crop: the network reads the window starting at
/// <see cref="WindowStart"/> and its output is kept only over the core [<see cref="CoreStart"/>,
/// <see cref="CoreStart"/> + <see cref="CoreSize"/>).
/// </summary>
public sealed record Tile(int[] WindowStart, int[] CoreStart, int[] CoreSize);
