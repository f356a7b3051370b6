namespace HotDistance.Core.Blockwise;

/// <summary>
/// One block of a blockwise job: its index in the plan's raster order and the voxels it covers, per axis (z, y, x),
/// [<see cref="Start"/>, <see cref="Start"/> + <see cref="Shape"/>) of the volume. The index is the block's key:
/// a block is done once, whoever (this process, or a worker given it in a message) does it.
/// </summary>
public sealed record BlockExtent(int Index, int[] Start, int[] Shape)
{
    public long Voxels => (long)Shape[0] * Shape[1] * Shape[2];

    public int[] End => [Start[0] + Shape[0], Start[1] + Shape[1], Start[2] + Shape[2]];
}
