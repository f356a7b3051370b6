using HotDistance.Core.Blockwise;
using HotDistance.Core.Volumes;

namespace HotDistance.Core.PostProcessing;

/// <summary>
/// Gives instances labelled block by block one id across the whole volume. Each block holds its own ids
/// (<see cref="ProvisionalInstances"/>); block b's id i is provisional id offset(b) + i, offsets being the running
/// sum of the blocks' id counts in plan order. One pass over the block faces joins them with union-find:
/// <list type="number">
/// <item>Two seed voxels that touch across a face are one instance. For connected components every voxel is a
/// seed, so this is exactly the components of the whole volume.</item>
/// <item>For a watershed, each block floods only from its own seeds, so part of an instance whose seed lies in a
/// neighbour block is a fragment (no seed of the block reached it). Fragments that touch across a face are one
/// fragment; a fragment then joins the seeded instance it touches across faces with the most voxel contacts
/// (ties: the lower id). A fragment touching no seeded instance stays an instance of its own (or is dropped when
/// unseeded components are not labelled).</item>
/// </list>
/// Limits of the watershed rule: instances whose seed components touch across a face merge, as they would in one
/// pass; but where two instances touch, the boundary between them inside a block follows the block's own seeds
/// only, so it can differ from a whole-volume flood near block faces (a voxel claimed from a seed in the
/// neighbour block goes to a seed of its own block if the flood reaches it). Separate objects (not touching) get
/// exactly the whole-volume instances. Final ids are 1..n numbered by each instance's smallest provisional id,
/// so they do not depend on the order the blocks were done in.
/// </summary>
public sealed class BlockInstanceStitcher
{
    private readonly long[] _offsets;
    private readonly uint[] _final;

    private BlockInstanceStitcher(long[] offsets, uint[] final, int count)
    {
        _offsets = offsets;
        _final = final;
        Count = count;
    }

    /// <summary>How many instances the whole volume holds.</summary>
    public int Count { get; }

    /// <summary>
    /// Joins the blocks of <paramref name="plan"/>. <paramref name="readIds"/> reads the provisional ids of a box
    /// (start, shape) of the volume, seed bits included; it is asked only for one-voxel-thick slabs on each side of
    /// each face, one block's face at a time, so memory stays O(block face + instances).
    /// </summary>
    public static BlockInstanceStitcher Stitch(
        BlockPlan plan,
        IReadOnlyList<BlockLabelCount> counts,
        Func<int[], Shape3, uint[]> readIds,
        Connectivity connectivity,
        bool labelUnseededComponents)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(readIds);
        if (counts.Count != plan.Count)
        {
            throw new ArgumentException($"{counts.Count} block counts for a plan of {plan.Count} blocks", nameof(counts));
        }

        var offsets = new long[plan.Count];
        long total = 0;
        for (var b = 0; b < plan.Count; b++)
        {
            offsets[b] = total;
            total += counts[b].Labels;
        }

        if (total >= int.MaxValue - 1)
        {
            throw new InvalidOperationException($"the blocks hold {total} provisional instances, more than one volume's ids can number");
        }

        var sets = new DisjointSets((int)total + 1);
        for (long i = 0; i < total; i++)
        {
            sets.Add();
        }

        var contacts = new Dictionary<(uint Fragment, uint Seeded), long>();
        bool IsFragment(int block, uint local) => local > (uint)counts[block].Seeded;
        for (var axis = 0; axis < 3; axis++)
        {
            for (var face = 1; face < plan.Grid[axis]; face++)
            {
                foreach (var block in plan.All().Where(b => b.Start[axis] + b.Shape[axis] == face * plan.Block[axis]))
                {
                    JoinFace(plan, block, axis, readIds, connectivity, offsets, sets, contacts, IsFragment);
                }
            }
        }

        // Fragments join the seeded instance they touch most, judged once every seed is joined.
        var best = new Dictionary<uint, (uint Seeded, long Contacts)>();
        foreach (var group in contacts.GroupBy(c => (Fragment: sets.Find(c.Key.Fragment), Seeded: sets.Find(c.Key.Seeded)), c => c.Value))
        {
            var sum = group.Sum();
            if (!best.TryGetValue(group.Key.Fragment, out var current) || sum > current.Contacts || (sum == current.Contacts && group.Key.Seeded < current.Seeded))
            {
                best[group.Key.Fragment] = (group.Key.Seeded, sum);
            }
        }

        foreach (var (fragment, (seeded, _)) in best)
        {
            sets.Union(fragment, seeded);
        }

        // A set is an instance when it holds a seeded id, or, when unseeded components count, in any case.
        var hasSeed = new bool[total + 1];
        for (var b = 0; b < plan.Count; b++)
        {
            for (uint local = 1; local <= (uint)counts[b].Seeded; local++)
            {
                hasSeed[sets.Find((uint)(offsets[b] + local))] = true;
            }
        }

        var final = new uint[total + 1];
        uint next = 0;
        for (uint label = 1; label <= total; label++)
        {
            var root = sets.Find(label);
            if (root == label)
            {
                final[label] = labelUnseededComponents || hasSeed[label] ? ++next : 0;
            }
            else
            {
                final[label] = final[root];
            }
        }

        return new BlockInstanceStitcher(offsets, final, (int)next);
    }

    /// <summary>Block <paramref name="block"/>'s provisional ids (seed bits included) turned into final ids, in place.</summary>
    public void Relabel(int block, uint[] ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var offset = _offsets[block];
        for (var i = 0; i < ids.Length; i++)
        {
            var local = ids[i] & ProvisionalInstances.MaxLabel;
            ids[i] = local == 0 ? 0 : _final[offset + local];
        }
    }

    /// <summary>
    /// Joins the voxels on the far side of <paramref name="block"/> along <paramref name="axis"/> with their
    /// neighbours across that face. The slab read reaches one voxel past the block's sides, so neighbours across
    /// the face's edges and corners (in the blocks diagonal to this one) are joined too.
    /// </summary>
    private static void JoinFace(
        BlockPlan plan,
        BlockExtent block,
        int axis,
        Func<int[], Shape3, uint[]> readIds,
        Connectivity connectivity,
        long[] offsets,
        DisjointSets sets,
        Dictionary<(uint, uint), long> contacts,
        Func<int, uint, bool> isFragment)
    {
        var volume = plan.Volume;
        var start = new int[3];
        var size = new int[3];
        for (var a = 0; a < 3; a++)
        {
            if (a == axis)
            {
                start[a] = block.Start[a] + block.Shape[a] - 1;
                size[a] = 2;
            }
            else
            {
                start[a] = Math.Max(block.Start[a] - 1, 0);
                size[a] = Math.Min(block.Start[a] + block.Shape[a] + 1, volume[a]) - start[a];
            }
        }

        var slabShape = Shape3.FromArray(size);
        var ids = readIds(start, slabShape);
        var reach = connectivity == Connectivity.Full26 ? 1 : 0;
        // The two axes along the face, u and v; the slab's axis index 0 is the near side, 1 the far side.
        var (u, v) = axis switch { 0 => (1, 2), 1 => (0, 2), _ => (0, 1) };
        var position = new int[3];
        var neighbour = new int[3];
        var farPosition = new int[3];
        for (var i = block.Start[u]; i < block.Start[u] + block.Shape[u]; i++)
        {
            for (var j = block.Start[v]; j < block.Start[v] + block.Shape[v]; j++)
            {
                position[axis] = 0;
                position[u] = i - start[u];
                position[v] = j - start[v];
                var near = ids[slabShape.Index(position[0], position[1], position[2])];
                if (near == 0)
                {
                    continue;
                }

                var nearBlock = block.Index;
                var nearLocal = near & ProvisionalInstances.MaxLabel;
                var nearId = (uint)(offsets[nearBlock] + nearLocal);
                for (var di = -reach; di <= reach; di++)
                {
                    for (var dj = -reach; dj <= reach; dj++)
                    {
                        var ni = i + di;
                        var nj = j + dj;
                        if (ni < start[u] || ni >= start[u] + size[u] || nj < start[v] || nj >= start[v] + size[v])
                        {
                            continue;
                        }

                        neighbour[axis] = 1;
                        neighbour[u] = ni - start[u];
                        neighbour[v] = nj - start[v];
                        var far = ids[slabShape.Index(neighbour[0], neighbour[1], neighbour[2])];
                        if (far == 0)
                        {
                            continue;
                        }

                        farPosition[axis] = start[axis] + 1;
                        farPosition[u] = ni;
                        farPosition[v] = nj;
                        var farBlock = plan.IndexOf(farPosition[0], farPosition[1], farPosition[2]);
                        var farLocal = far & ProvisionalInstances.MaxLabel;
                        var farId = (uint)(offsets[farBlock] + farLocal);
                        var nearSeed = (near & ProvisionalInstances.SeedBit) != 0;
                        var farSeed = (far & ProvisionalInstances.SeedBit) != 0;
                        var nearFragment = isFragment(nearBlock, nearLocal);
                        var farFragment = isFragment(farBlock, farLocal);
                        if ((nearSeed && farSeed) || (nearFragment && farFragment))
                        {
                            sets.Union(nearId, farId);
                        }
                        else if (nearFragment != farFragment)
                        {
                            var key = nearFragment ? (nearId, farId) : (farId, nearId);
                            contacts[key] = contacts.GetValueOrDefault(key) + 1;
                        }
                    }
                }
            }
        }
    }
}
