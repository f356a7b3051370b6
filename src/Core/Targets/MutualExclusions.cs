namespace HotDistance.Core.Targets;

/// <summary>
/// Which classes can never share a voxel (a nucleus voxel is never a mito voxel). Exclusion is symmetric: naming
/// the pair once covers both directions. Class names compare ordinally, as the crop's label groups are named.
/// </summary>
public sealed class MutualExclusions
{
    private readonly Dictionary<string, HashSet<string>> _exclusive = new(StringComparer.Ordinal);

    public MutualExclusions(IEnumerable<(string First, string Second)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        foreach (var (first, second) in pairs)
        {
            if (string.IsNullOrEmpty(first) || string.IsNullOrEmpty(second))
            {
                throw new ArgumentException("a mutually exclusive pair needs two class names", nameof(pairs));
            }

            if (string.Equals(first, second, StringComparison.Ordinal))
            {
                throw new ArgumentException($"class '{first}' cannot exclude itself; remove that pair", nameof(pairs));
            }

            Add(first, second);
            Add(second, first);
        }
    }

    public static MutualExclusions None { get; } = new([]);

    /// <summary>Builds from a map class -> classes it excludes (one direction is enough).</summary>
    public static MutualExclusions FromMap(IReadOnlyDictionary<string, IReadOnlyCollection<string>> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new MutualExclusions(map.SelectMany(entry => entry.Value.Select(other => (entry.Key, other))));
    }

    /// <summary>The classes that exclude <paramref name="className"/>, in ordinal order.</summary>
    public IReadOnlyList<string> ExclusiveWith(string className) =>
        _exclusive.TryGetValue(className, out var others)
            ? others.Order(StringComparer.Ordinal).ToArray()
            : [];

    public bool Exclude(string first, string second) =>
        _exclusive.TryGetValue(first, out var others) && others.Contains(second);

    private void Add(string from, string to)
    {
        if (!_exclusive.TryGetValue(from, out var set))
        {
            set = new HashSet<string>(StringComparer.Ordinal);
            _exclusive[from] = set;
        }

        set.Add(to);
    }
}
