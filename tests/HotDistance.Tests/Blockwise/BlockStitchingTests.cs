using HotDistance.Core.Blockwise;
using HotDistance.Core.PostProcessing;
using HotDistance.Core.Volumes;

namespace HotDistance.Tests.Blockwise;

/// <summary>
/// Instances labelled block by block and stitched over the block faces are the instances of one whole-volume
/// pass, up to renumbering, on shapes that cross every face, edge and corner of the block grid.
/// </summary>
public class BlockStitchingTests
{
    private const int Edge = 24;

    [Theory]
    [InlineData(12)] // 8 blocks
    [InlineData(8)] // 27 blocks
    [InlineData(6)] // 64 blocks
    public void Connected_components_cut_into_blocks_and_stitched_equal_the_whole_volume_components(int block)
    {
        var shape = new Shape3(Edge, Edge, Edge);
        var mask = Shapes(shape, block);
        var whole = ConnectedComponents.Label(mask);

        var (stitched, provisional) = Blockwise(mask, null, block, (m, _) => ConnectedComponents.Label(m), Connectivity.Full26, labelUnseeded: true);

        SamePartition.Assert(whole.Labels.Data, stitched.Data, minimumInstances: 3);
        // The shapes really cross the faces: the blocks alone gave many more pieces than there are objects.
        Assert.True(provisional > 2 * whole.Count, $"{provisional} block pieces for {whole.Count} objects: the shapes do not cross the faces");
    }

    [Theory]
    [InlineData(12)]
    [InlineData(8)]
    [InlineData(6)]
    public void Watershed_instances_of_separate_objects_cut_into_blocks_equal_the_whole_volume_watershed(int block)
    {
        var shape = new Shape3(Edge, Edge, Edge);
        var mask = Shapes(shape, block);
        var height = DepthInside(mask);
        const float Seed = 1.5f;
        var whole = SeededWatershed.Segment(height, mask, Seed);

        var (stitched, _) = Blockwise(mask, height, block, (m, h) => SeededWatershed.Segment(h!, m, Seed), Connectivity.Full26, labelUnseeded: true, Seed);

        SamePartition.Assert(whole.Labels.Data, stitched.Data, minimumInstances: 3);
        // Seeds are cut by faces too: at least one object has seed voxels in more than one block.
        var plan = new BlockPlan(shape, new Shape3(block, block, block));
        Assert.Contains(Enumerable.Range(1, whole.Count), id => SeedBlocks(whole.Labels, height, Seed, plan, (uint)id) > 1);
    }

    [Fact]
    public void Touching_fragments_follow_the_seeded_instance_they_touch_most_and_unseeded_ones_can_be_dropped()
    {
        // One bar along x across two blocks: its seed (the deep middle) lies in block 0 only, so block 1 holds a
        // fragment no seed of its own reaches; it joins the seeded instance across the face.
        var shape = new Shape3(3, 3, 12);
        var mask = new Volume<byte>(shape);
        var height = new Volume<float>(shape);
        for (var x = 0; x < 12; x++)
        {
            mask[1, 1, x] = 1;
            height[1, 1, x] = x < 3 ? 2f : 0.5f;
        }

        var (stitched, _) = Blockwise(mask, height, 6, (m, h) => SeededWatershed.Segment(h!, m, 1f), Connectivity.Full26, labelUnseeded: false, 1f);

        Assert.All(Enumerable.Range(0, 12), x => Assert.Equal(1u, stitched[1, 1, x]));

        // A lone object with no seed anywhere is dropped when unseeded components are not labelled.
        var lone = new Volume<byte>(shape);
        lone[1, 1, 5] = lone[1, 1, 6] = 1;
        var (dropped, _) = Blockwise(lone, new Volume<float>(shape), 6, (m, h) => SeededWatershed.Segment(h!, m, 1f), Connectivity.Full26, labelUnseeded: false, 1f);
        Assert.All(dropped.Data, v => Assert.Equal(0u, v));
    }

    /// <summary>
    /// Labels each block on its own (as a blockwise job does), encodes its ids, stitches over the faces and
    /// relabels; returns the volume of final ids and how many provisional ids the blocks made.
    /// </summary>
    private static (Volume<uint> Ids, int Provisional) Blockwise(
        Volume<byte> mask,
        Volume<float>? height,
        int edge,
        Func<Volume<byte>, Volume<float>?, LabeledVolume> label,
        Connectivity connectivity,
        bool labelUnseeded,
        float seedThreshold = 0)
    {
        var plan = new BlockPlan(mask.Shape, new Shape3(edge, edge, edge));
        var provisional = new Volume<uint>(mask.Shape);
        var counts = new List<BlockLabelCount>();
        foreach (var block in plan.All())
        {
            var blockMask = Cut(mask, block);
            var blockHeight = height is null ? null : Cut(height, block);
            var ids = label(blockMask, blockHeight).Labels;
            var (encoded, count) = ProvisionalInstances.Encode(ids, blockMask, blockHeight, seedThreshold);
            Paste(provisional, block.Start, Shape3.FromArray(block.Shape), encoded);
            counts.Add(count);
        }

        var reads = 0;
        var stitcher = BlockInstanceStitcher.Stitch(plan, counts, (start, shape) =>
        {
            reads++;
            return Cut(provisional, new BlockExtent(-1, start, shape.ToArray())).Data;
        }, connectivity, labelUnseeded);
        Assert.True(plan.Count == 1 || reads > 0);
        var result = new Volume<uint>(mask.Shape);
        foreach (var block in plan.All())
        {
            var ids = Cut(provisional, block).Data;
            stitcher.Relabel(block.Index, ids);
            Paste(result, block.Start, Shape3.FromArray(block.Shape), ids);
        }

        Assert.Equal(result.Data.Where(v => v != 0).Distinct().Count(), stitcher.Count);
        return (result, counts.Sum(c => c.Labels));
    }

    /// <summary>
    /// Objects placed on the block grid of <paramref name="block"/>: a ball on every other inner grid corner (each
    /// crossing 8 blocks, its seed too), a bar through every face plane along y, a slab bar along x, and a diagonal
    /// chain of voxels touching only at their corners through a grid corner (joined only by 26-connectivity).
    /// </summary>
    private static Volume<byte> Shapes(Shape3 shape, int block)
    {
        var mask = new Volume<byte>(shape);
        var corners = Enumerable.Range(1, (Edge / block) - 1).ToList();
        var radius = block >= 12 ? 3.5 : 2.7;
        foreach (var i in corners)
        {
            foreach (var j in corners)
            {
                foreach (var k in corners.Where(k => (i + j + k) % 2 == 1))
                {
                    Ball(mask, (i * block) - 0.5, (j * block) - 0.5, (k * block) - 0.5, radius);
                }
            }
        }

        var first = block;
        var last = Edge - block;
        for (var y = 1; y < Edge - 1; y++)
        {
            mask[first + (block / 2), y, 1] = 1;
        }

        for (var x = 2; x < Edge - 2; x++)
        {
            mask[1, last, x] = 1;
            mask[2, last, x] = 1;
        }

        for (var d = -2; d < 2; d++)
        {
            mask[first + d, first + d, Edge - 1 - (first + d)] = 1;
        }

        return mask;
    }

    private static void Ball(Volume<byte> mask, double cz, double cy, double cx, double radius)
    {
        var shape = mask.Shape;
        for (var z = 0; z < shape.Z; z++)
        {
            for (var y = 0; y < shape.Y; y++)
            {
                for (var x = 0; x < shape.X; x++)
                {
                    var d2 = ((z - cz) * (z - cz)) + ((y - cy) * (y - cy)) + ((x - cx) * (x - cx));
                    if (d2 <= radius * radius)
                    {
                        mask[z, y, x] = 1;
                    }
                }
            }
        }
    }

    /// <summary>A height map deepest inside the objects: how many erosions (26-neighbourhood) a voxel survives.</summary>
    private static Volume<float> DepthInside(Volume<byte> mask)
    {
        var shape = mask.Shape;
        var depth = new Volume<float>(shape);
        var current = mask.Clone();
        for (var round = 1; current.Data.Any(v => v != 0); round++)
        {
            var next = new Volume<byte>(shape);
            for (var z = 0; z < shape.Z; z++)
            {
                for (var y = 0; y < shape.Y; y++)
                {
                    for (var x = 0; x < shape.X; x++)
                    {
                        if (current[z, y, x] == 0)
                        {
                            continue;
                        }

                        depth[z, y, x] = round;
                        var inside = true;
                        for (var dz = -1; dz <= 1 && inside; dz++)
                        {
                            for (var dy = -1; dy <= 1 && inside; dy++)
                            {
                                for (var dx = -1; dx <= 1 && inside; dx++)
                                {
                                    inside = shape.Contains(z + dz, y + dy, x + dx) && current[z + dz, y + dy, x + dx] != 0;
                                }
                            }
                        }

                        next[z, y, x] = inside ? (byte)1 : (byte)0;
                    }
                }
            }

            current = next;
        }

        return depth;
    }

    private static int SeedBlocks(Volume<uint> labels, Volume<float> height, float seed, BlockPlan plan, uint id)
    {
        var blocks = new HashSet<int>();
        var shape = labels.Shape;
        for (var z = 0; z < shape.Z; z++)
        {
            for (var y = 0; y < shape.Y; y++)
            {
                for (var x = 0; x < shape.X; x++)
                {
                    if (labels[z, y, x] == id && height[z, y, x] > seed)
                    {
                        blocks.Add(plan.IndexOf(z, y, x));
                    }
                }
            }
        }

        return blocks.Count;
    }

    private static Volume<T> Cut<T>(Volume<T> volume, BlockExtent block)
        where T : unmanaged
    {
        var shape = Shape3.FromArray(block.Shape);
        var result = new Volume<T>(shape);
        for (var z = 0; z < shape.Z; z++)
        {
            for (var y = 0; y < shape.Y; y++)
            {
                volume.Data.AsSpan(volume.Shape.Index(block.Start[0] + z, block.Start[1] + y, block.Start[2]), shape.X)
                    .CopyTo(result.Data.AsSpan(shape.Index(z, y, 0), shape.X));
            }
        }

        return result;
    }

    private static void Paste<T>(Volume<T> volume, int[] start, Shape3 shape, T[] data)
        where T : unmanaged
    {
        for (var z = 0; z < shape.Z; z++)
        {
            for (var y = 0; y < shape.Y; y++)
            {
                data.AsSpan(shape.Index(z, y, 0), shape.X).CopyTo(volume.Data.AsSpan(volume.Shape.Index(start[0] + z, start[1] + y, start[2]), shape.X));
            }
        }
    }
}
