namespace HotDistance.Core.Metrics;

/// <summary>Instance ids renumbered 1..Count in increasing order of the original ids (0 stays background).</summary>
internal sealed class CompactLabels
{
    // Ids up to this size are mapped through a lookup array; larger ones (e.g. uint64-derived) through a dictionary.
    private const uint LookupLimit = 1u << 24;

    private CompactLabels(uint[] labels, uint[] originalIds)
    {
        Labels = labels;
        OriginalIds = originalIds;
    }

    public uint[] Labels { get; }

    /// <summary>Original id of compact id k at index k (index 0 is background).</summary>
    public uint[] OriginalIds { get; }

    public int Count => OriginalIds.Length - 1;

    public static CompactLabels From(uint[] ids)
    {
        uint max = 0;
        foreach (var id in ids)
        {
            max = Math.Max(max, id);
        }

        var labels = new uint[ids.Length];
        if (max < LookupLimit)
        {
            var map = new uint[max + 1];
            foreach (var id in ids)
            {
                map[id] = 1;
            }

            var originals = new List<uint> { 0 };
            for (uint id = 1; id <= max; id++)
            {
                if (map[id] != 0)
                {
                    map[id] = (uint)originals.Count;
                    originals.Add(id);
                }
            }

            map[0] = 0;
            for (var i = 0; i < ids.Length; i++)
            {
                labels[i] = map[ids[i]];
            }

            return new CompactLabels(labels, [.. originals]);
        }

        var distinct = new HashSet<uint>();
        foreach (var id in ids)
        {
            if (id != 0)
            {
                distinct.Add(id);
            }
        }

        var sorted = distinct.Order().ToList();
        var lookup = new Dictionary<uint, uint>(sorted.Count) { [0] = 0 };
        for (var k = 0; k < sorted.Count; k++)
        {
            lookup[sorted[k]] = (uint)(k + 1);
        }

        for (var i = 0; i < ids.Length; i++)
        {
            labels[i] = lookup[ids[i]];
        }

        return new CompactLabels(labels, [0, .. sorted]);
    }
}
