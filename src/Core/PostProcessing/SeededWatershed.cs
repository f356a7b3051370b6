using HotDistance.Core.Volumes;

namespace HotDistance.Core.PostProcessing;

/// <summary>
/// Splits a mask into instances by flooding a height map (the predicted distance t: higher is deeper inside)
/// from seeds, highest voxels first. Seeds are the connected components of <c>t &gt; seedThreshold</c> inside
/// the mask. The queue is bucketed: heights are quantised into <c>levels</c> steps between the lowest and highest
/// unseeded mask voxel, first-in first-out within a step, so plateaus split half-way between seeds.
/// A voxel takes the id of whichever region reaches it first and is never relabelled.
/// </summary>
public static class SeededWatershed
{
    public const int DefaultLevels = 1024;

    /// <param name="height">Predicted distance per voxel; NaN counts as the lowest height.</param>
    /// <param name="mask">Voxels to label (nonzero); voxels outside stay 0.</param>
    /// <param name="seedThreshold">Seeds are mask voxels with height strictly above this.</param>
    /// <param name="connectivity">Used both for the seed components and for flooding.</param>
    /// <param name="labelUnseededComponents">
    /// Mask components that contain no seed (objects too thin for t to pass the seed threshold) become instances
    /// of their own, numbered after the seeded ones; when false they stay 0.
    /// </param>
    /// <param name="levels">Number of height buckets (at least 2).</param>
    public static LabeledVolume Segment(
        Volume<float> height,
        Volume<byte> mask,
        float seedThreshold,
        Connectivity connectivity = Connectivity.Full26,
        bool labelUnseededComponents = true,
        int levels = DefaultLevels)
    {
        ArgumentNullException.ThrowIfNull(height);
        ArgumentNullException.ThrowIfNull(mask);
        if (height.Shape != mask.Shape)
        {
            throw new ArgumentException($"height is {height.Shape} but mask is {mask.Shape}; they must match", nameof(mask));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 2);

        var h = height.Data;
        var m = mask.Data;
        var seeds = new byte[m.Length];
        for (var i = 0; i < m.Length; i++)
        {
            seeds[i] = m[i] != 0 && h[i] > seedThreshold ? (byte)1 : (byte)0;
        }

        var labels = new uint[m.Length];
        var seedCount = ConnectedComponents.LabelInto(seeds, mask.Shape, connectivity, labels);
        var count = seedCount;
        if (seedCount > 0)
        {
            Flood(h, m, labels, new NeighbourGrid(mask.Shape, connectivity), levels);
        }

        if (labelUnseededComponents)
        {
            count += LabelLeftovers(m, labels, mask.Shape, connectivity, (uint)seedCount);
        }

        return new LabeledVolume(new Volume<uint>(mask.Shape, labels), count);
    }

    /// <summary>
    /// Grows the seed labels over the unlabelled mask voxels. Which voxels are still open is kept in a byte per
    /// voxel: the neighbour checks come in no useful memory order, and a byte map is a quarter of the label array.
    /// </summary>
    private static void Flood(float[] h, byte[] m, uint[] labels, NeighbourGrid grid, int levels)
    {
        var open = new byte[m.Length];
        var lowest = float.PositiveInfinity;
        var highest = float.NegativeInfinity;
        for (var i = 0; i < m.Length; i++)
        {
            if (m[i] != 0 && labels[i] == 0)
            {
                open[i] = 1;
                if (!float.IsNaN(h[i]))
                {
                    lowest = Math.Min(lowest, h[i]);
                    highest = Math.Max(highest, h[i]);
                }
            }
        }

        var scale = highest > lowest ? (levels - 1) / ((double)highest - lowest) : 0.0;
        var queue = new BucketQueue(levels, m.Length);
        var top = levels - 1;
        var shape = grid.Shape;
        var plane = shape.X * shape.Y;
        Span<int> neighbours = stackalloc int[26];

        // Only seed voxels that touch open voxels can grow; found in raster order, which is cache-friendly.
        for (int i = 0, z = 0; z < shape.Z; z++)
        {
            for (var y = 0; y < shape.Y; y++)
            {
                for (var x = 0; x < shape.X; x++, i++)
                {
                    if (labels[i] == 0)
                    {
                        continue;
                    }

                    var count = Neighbours(grid, i, z, y, x, neighbours);
                    for (var k = 0; k < count; k++)
                    {
                        if (open[neighbours[k]] != 0)
                        {
                            queue.Push(top, i);
                            break;
                        }
                    }
                }
            }
        }

        for (var level = top; level >= 0; level--)
        {
            while (queue.TryPop(level, out var voxel))
            {
                var z = voxel / plane;
                var rest = voxel - z * plane;
                var y = rest / shape.X;
                var x = rest - y * shape.X;
                var count = Neighbours(grid, voxel, z, y, x, neighbours);
                var label = labels[voxel];
                for (var k = 0; k < count; k++)
                {
                    var neighbour = neighbours[k];
                    if (open[neighbour] == 0)
                    {
                        continue;
                    }

                    open[neighbour] = 0;
                    labels[neighbour] = label;
                    var value = h[neighbour];
                    var bucket = float.IsNaN(value) ? 0 : (int)((value - lowest) * scale);
                    queue.Push(Math.Clamp(bucket, 0, level), neighbour);
                }
            }
        }
    }

    private static int Neighbours(NeighbourGrid grid, int voxel, int z, int y, int x, Span<int> neighbours)
    {
        if (!grid.IsInterior(z, y, x))
        {
            return grid.NeighboursOnFace(z, y, x, neighbours);
        }

        var offsets = grid.Offsets;
        for (var k = 0; k < offsets.Length; k++)
        {
            neighbours[k] = voxel + offsets[k];
        }

        return offsets.Length;
    }

    private static int LabelLeftovers(byte[] m, uint[] labels, Shape3 shape, Connectivity connectivity, uint firstId)
    {
        var leftover = new byte[m.Length];
        var any = false;
        for (var i = 0; i < m.Length; i++)
        {
            if (m[i] != 0 && labels[i] == 0)
            {
                leftover[i] = 1;
                any = true;
            }
        }

        if (!any)
        {
            return 0;
        }

        var extra = new uint[m.Length];
        var count = ConnectedComponents.LabelInto(leftover, shape, connectivity, extra);
        for (var i = 0; i < m.Length; i++)
        {
            if (extra[i] != 0)
            {
                labels[i] = extra[i] + firstId;
            }
        }

        return count;
    }

    /// <summary>One FIFO list per height level, linked through a per-voxel next pointer (each voxel enters once).</summary>
    private sealed class BucketQueue
    {
        private readonly int[] _head;
        private readonly int[] _tail;
        private readonly int[] _next;

        public BucketQueue(int levels, int voxels)
        {
            _head = new int[levels];
            _tail = new int[levels];
            Array.Fill(_head, -1);
            Array.Fill(_tail, -1);
            _next = new int[voxels];
        }

        public void Push(int level, int voxel)
        {
            _next[voxel] = -1;
            if (_tail[level] < 0)
            {
                _head[level] = voxel;
            }
            else
            {
                _next[_tail[level]] = voxel;
            }

            _tail[level] = voxel;
        }

        public bool TryPop(int level, out int voxel)
        {
            voxel = _head[level];
            if (voxel < 0)
            {
                return false;
            }

            _head[level] = _next[voxel];
            if (_head[level] < 0)
            {
                _tail[level] = -1;
            }

            return true;
        }
    }
}
