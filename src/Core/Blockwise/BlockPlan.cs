using HotDistance.Core.Volumes;

namespace HotDistance.Core.Blockwise;

/// <summary>
/// A volume cut into equal blocks (the last along each axis cut at the volume's edge), numbered in raster order.
/// Blocks are multiples of the output's chunks, so no two blocks ever write the same chunk file and blocks can
/// be done in any order, by any number of processes. The plan is pure arithmetic: nothing per block is held,
/// so a plan over 10^12 voxels costs nothing.
/// </summary>
public sealed class BlockPlan
{
    public BlockPlan(Shape3 volume, Shape3 block)
    {
        for (var axis = 0; axis < 3; axis++)
        {
            if (volume[axis] <= 0 || block[axis] <= 0)
            {
                throw new ArgumentException($"a block plan needs positive sizes: volume {volume}, block {block}");
            }
        }

        Volume = volume;
        Block = new Shape3(Math.Min(block.Z, volume.Z), Math.Min(block.Y, volume.Y), Math.Min(block.X, volume.X));
        Grid = new Shape3(Blocks(volume.Z, Block.Z), Blocks(volume.Y, Block.Y), Blocks(volume.X, Block.X));
    }

    public Shape3 Volume { get; }

    /// <summary>The size of every block but the last along each axis.</summary>
    public Shape3 Block { get; }

    /// <summary>Blocks per axis.</summary>
    public Shape3 Grid { get; }

    public int Count => checked((int)Grid.Count);

    public BlockExtent this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            int[] position = [index / (Grid.Y * Grid.X), index / Grid.X % Grid.Y, index % Grid.X];
            var start = new int[3];
            var shape = new int[3];
            for (var axis = 0; axis < 3; axis++)
            {
                start[axis] = position[axis] * Block[axis];
                shape[axis] = Math.Min(Block[axis], Volume[axis] - start[axis]);
            }

            return new BlockExtent(index, start, shape);
        }
    }

    /// <summary>The index of the block holding voxel (z, y, x).</summary>
    public int IndexOf(int z, int y, int x) => Grid.Index(z / Block.Z, y / Block.Y, x / Block.X);

    public IEnumerable<BlockExtent> All()
    {
        for (var index = 0; index < Count; index++)
        {
            yield return this[index];
        }
    }

    private static int Blocks(int size, int block) => (size + block - 1) / block;
}
