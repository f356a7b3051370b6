using HotDistance.Core.Volumes;

namespace HotDistance.Core.PostProcessing;

/// <summary>
/// Connected-component labelling of a binary volume: one raster pass that gives each foreground voxel a
/// provisional label merged through union-find with its already-visited neighbours, then one relabelling pass.
/// Final ids follow the raster order of each component's first voxel, so results are deterministic.
/// </summary>
public static class ConnectedComponents
{
    /// <summary>Labels the nonzero voxels of <paramref name="mask"/>.</summary>
    public static LabeledVolume Label(Volume<byte> mask, Connectivity connectivity = Connectivity.Full26)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var labels = new uint[mask.Data.Length];
        var count = LabelInto(mask.Data, mask.Shape, connectivity, labels);
        return new LabeledVolume(new Volume<uint>(mask.Shape, labels), count);
    }

    /// <summary>
    /// Splits a label volume into its connected pieces: voxels with the same nonzero id that touch (26 neighbours)
    /// are one piece, so an id used on two separate objects becomes two ids, and touching objects with different ids
    /// stay apart (the CellMap challenge's relabelling of a predicted instance volume). Ids 1..n follow the raster
    /// order of each piece's first voxel.
    /// </summary>
    public static LabeledVolume SplitLabels(Volume<uint> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var shape = ids.Shape;
        var source = ids.Data;
        var labels = new uint[source.Length];
        var pending = new Stack<int>();
        uint next = 0;
        for (var start = 0; start < source.Length; start++)
        {
            if (source[start] == 0 || labels[start] != 0)
            {
                continue;
            }

            var id = source[start];
            labels[start] = ++next;
            pending.Push(start);
            while (pending.TryPop(out var i))
            {
                var (z, y, x) = (i / (shape.Y * shape.X), i / shape.X % shape.Y, i % shape.X);
                for (var dz = Math.Max(z - 1, 0); dz <= Math.Min(z + 1, shape.Z - 1); dz++)
                {
                    for (var dy = Math.Max(y - 1, 0); dy <= Math.Min(y + 1, shape.Y - 1); dy++)
                    {
                        for (var dx = Math.Max(x - 1, 0); dx <= Math.Min(x + 1, shape.X - 1); dx++)
                        {
                            var j = (((dz * shape.Y) + dy) * shape.X) + dx;
                            if (source[j] == id && labels[j] == 0)
                            {
                                labels[j] = next;
                                pending.Push(j);
                            }
                        }
                    }
                }
            }
        }

        return new LabeledVolume(new Volume<uint>(shape, labels), (int)next);
    }

    /// <summary>Writes ids 1..n into <paramref name="labels"/> (which must be all zero) and returns n.</summary>
    internal static int LabelInto(byte[] mask, Shape3 shape, Connectivity connectivity, uint[] labels)
    {
        if (connectivity is not (Connectivity.Faces6 or Connectivity.Full26))
        {
            throw new ArgumentOutOfRangeException(nameof(connectivity), connectivity, "use Faces6 or Full26");
        }

        var sets = new DisjointSets(1024);
        var scan = new Scan(mask, labels, shape, sets);
        if (connectivity == Connectivity.Faces6)
        {
            scan.Faces6();
        }
        else
        {
            scan.Full26();
        }

        var finalIds = sets.CompactRoots(out var count);
        for (var i = 0; i < labels.Length; i++)
        {
            var provisional = labels[i];
            if (provisional != 0)
            {
                labels[i] = finalIds[provisional];
            }
        }

        return count;
    }

    /// <summary>The first pass; holds the arrays in fields so the neighbour checks stay cheap.</summary>
    private sealed class Scan(byte[] mask, uint[] labels, Shape3 shape, DisjointSets sets)
    {
        private readonly int _nx = shape.X;
        private readonly int _ny = shape.Y;
        private readonly int _nz = shape.Z;
        private readonly int _row = shape.X;
        private readonly int _plane = shape.X * shape.Y;

        public void Faces6()
        {
            for (var z = 0; z < _nz; z++)
            {
                for (var y = 0; y < _ny; y++)
                {
                    var rowStart = (z * _ny + y) * _nx;
                    for (var x = 0; x < _nx; x++)
                    {
                        var i = rowStart + x;
                        if (mask[i] == 0)
                        {
                            continue;
                        }

                        uint label = 0;
                        if (x > 0)
                        {
                            Join(ref label, i - 1);
                        }

                        if (y > 0)
                        {
                            Join(ref label, i - _row);
                        }

                        if (z > 0)
                        {
                            Join(ref label, i - _plane);
                        }

                        labels[i] = label != 0 ? label : sets.Add();
                    }
                }
            }
        }

        /// <summary>
        /// 13 already-visited neighbours, but many are adjacent to each other and therefore already merged:
        /// if the voxel below (z-1) is set it touches all 13; if the left one (x-1) is set only the 4 with
        /// dx = +1 can add anything; if the one behind (y-1) is set only the 3 with dz = -1, dy = +1 can.
        /// </summary>
        public void Full26()
        {
            for (var z = 0; z < _nz; z++)
            {
                var hasBelow = z > 0;
                for (var y = 0; y < _ny; y++)
                {
                    var hasBehind = y > 0;
                    var hasFront = y < _ny - 1;
                    var rowStart = (z * _ny + y) * _nx;
                    for (var x = 0; x < _nx; x++)
                    {
                        var i = rowStart + x;
                        if (mask[i] == 0)
                        {
                            continue;
                        }

                        var hasLeft = x > 0;
                        var hasRight = x < _nx - 1;
                        var below = i - _plane;
                        if (hasBelow && mask[below] != 0)
                        {
                            labels[i] = labels[below];
                            continue;
                        }

                        uint label = 0;
                        var behind = i - _row;
                        if (hasLeft && mask[i - 1] != 0)
                        {
                            label = labels[i - 1];
                            if (hasRight)
                            {
                                if (hasBehind)
                                {
                                    Join(ref label, behind + 1);
                                }

                                if (hasBelow)
                                {
                                    Join(ref label, below + 1);
                                    if (hasBehind)
                                    {
                                        Join(ref label, below - _row + 1);
                                    }

                                    if (hasFront)
                                    {
                                        Join(ref label, below + _row + 1);
                                    }
                                }
                            }
                        }
                        else if (hasBehind && mask[behind] != 0)
                        {
                            label = labels[behind];
                            if (hasBelow && hasFront)
                            {
                                var belowFront = below + _row;
                                Join(ref label, belowFront);
                                if (hasLeft)
                                {
                                    Join(ref label, belowFront - 1);
                                }

                                if (hasRight)
                                {
                                    Join(ref label, belowFront + 1);
                                }
                            }
                        }
                        else
                        {
                            // Left, behind and below are background: every other visited neighbour may matter.
                            if (hasBehind)
                            {
                                if (hasLeft)
                                {
                                    Join(ref label, behind - 1);
                                }

                                if (hasRight)
                                {
                                    Join(ref label, behind + 1);
                                }
                            }

                            if (hasBelow)
                            {
                                for (var dy = -1; dy <= 1; dy++)
                                {
                                    if ((dy < 0 && !hasBehind) || (dy > 0 && !hasFront))
                                    {
                                        continue;
                                    }

                                    var centre = below + dy * _row;
                                    if (hasLeft)
                                    {
                                        Join(ref label, centre - 1);
                                    }

                                    if (dy != 0)
                                    {
                                        Join(ref label, centre);
                                    }

                                    if (hasRight)
                                    {
                                        Join(ref label, centre + 1);
                                    }
                                }
                            }
                        }

                        labels[i] = label != 0 ? label : sets.Add();
                    }
                }
            }
        }

        private void Join(ref uint label, int neighbour)
        {
            if (mask[neighbour] == 0)
            {
                return;
            }

            var other = labels[neighbour];
            label = label == 0 || label == other ? other : sets.Union(label, other);
        }
    }
}
