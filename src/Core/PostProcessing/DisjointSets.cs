namespace HotDistance.Core.PostProcessing;

/// <summary>
/// Union-find over provisional labels 1..n. A root is always the smallest label of its set, so every parent is
/// smaller than its child; that lets <see cref="CompactRoots"/> resolve all labels in one increasing sweep.
/// </summary>
internal sealed class DisjointSets(int capacity)
{
    private uint[] _parent = new uint[Math.Max(2, capacity)];
    private uint _next = 1;

    public int Count => (int)(_next - 1);

    public uint Add()
    {
        if (_next == _parent.Length)
        {
            Array.Resize(ref _parent, checked(_parent.Length * 2));
        }

        var label = _next++;
        _parent[label] = label;
        return label;
    }

    public uint Find(uint label)
    {
        var parent = _parent;
        while (parent[label] != label)
        {
            var grandparent = parent[parent[label]];
            parent[label] = grandparent;
            label = grandparent;
        }

        return label;
    }

    /// <summary>Merges the two sets and returns the root of the result.</summary>
    public uint Union(uint a, uint b)
    {
        var rootA = Find(a);
        var rootB = Find(b);
        if (rootA == rootB)
        {
            return rootA;
        }

        if (rootA < rootB)
        {
            _parent[rootB] = rootA;
            return rootA;
        }

        _parent[rootA] = rootB;
        return rootB;
    }

    /// <summary>Maps every provisional label to 1..count, numbering sets by their smallest label.</summary>
    public uint[] CompactRoots(out int count)
    {
        var final = new uint[_next];
        uint sets = 0;
        for (uint label = 1; label < _next; label++)
        {
            var parent = _parent[label];
            final[label] = parent == label ? ++sets : final[parent];
        }

        count = (int)sets;
        return final;
    }
}
