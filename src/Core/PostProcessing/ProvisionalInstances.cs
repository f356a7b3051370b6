using HotDistance.Core.Volumes;

namespace HotDistance.Core.PostProcessing;

/// <summary>
/// A block's instance ids as the stitcher needs them: the block's own ids (1..n, seeded ones first) with
/// <see cref="SeedBit"/> set on seed voxels. Seeds are what the stitcher joins across block faces: for connected
/// components every labelled voxel is a seed (touching voxels are one object), for a watershed the voxels above
/// the seed threshold (touching seeds are one seed component, however the flood split the rest).
/// </summary>
public static class ProvisionalInstances
{
    public const uint SeedBit = 0x8000_0000u;

    /// <summary>The largest id a block may hold, so the seed bit stays free.</summary>
    public const uint MaxLabel = SeedBit - 1;

    /// <summary>
    /// Encodes <paramref name="instances"/>. <paramref name="seedHeight"/> null: connected components (all voxels
    /// seeds). Otherwise the watershed's height: seeds are mask voxels above <paramref name="seedThreshold"/>, and
    /// the seeded ids are those the watershed numbered first (each holds a seed voxel).
    /// </summary>
    public static (uint[] Ids, BlockLabelCount Count) Encode(Volume<uint> instances, Volume<byte> mask, Volume<float>? seedHeight, float seedThreshold)
    {
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentNullException.ThrowIfNull(mask);
        var ids = instances.Data;
        var encoded = new uint[ids.Length];
        uint labels = 0;
        uint seeded = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            var id = ids[i];
            if (id == 0)
            {
                continue;
            }

            if (id > MaxLabel)
            {
                throw new InvalidOperationException($"a block holds instance id {id}, beyond the {MaxLabel} a block may hold; use smaller blocks");
            }

            labels = Math.Max(labels, id);
            var seed = seedHeight is null || (mask.Data[i] != 0 && seedHeight.Data[i] > seedThreshold);
            if (seed)
            {
                seeded = Math.Max(seeded, id);
            }

            encoded[i] = seed ? id | SeedBit : id;
        }

        return (encoded, new BlockLabelCount((int)labels, (int)seeded));
    }
}
