namespace HotDistance.Learning.Model;

/// <summary>
/// The U-Net's shape. <see cref="DownsampleFactors"/> holds one (z, y, x) factor per level transition, so
/// anisotropic data can keep its thin axis (e.g. [1, 2, 2]); a 2D network for thin stacks is one whose
/// factors and kernels leave Z alone (<see cref="Planar"/>).
/// </summary>
public sealed record ModelArchitecture(
    int BaseFeatures,
    int FeatureMultiplier,
    IReadOnlyList<int[]> DownsampleFactors,
    bool Planar = false)
{
    public static ModelArchitecture Small { get; } = new(8, 2, [[2, 2, 2], [2, 2, 2]]);

    /// <summary>
    /// <see cref="Small"/> as a 2D network for thin stacks: 1x3x3 kernels and no downsampling along Z, so it
    /// takes crops of any number of slices, down to one, and treats each slice on its own.
    /// </summary>
    public static ModelArchitecture SmallPlanar { get; } = Small.AsPlanar();

    /// <summary>The networks a configuration names: small (the CPU demo's 3D U-Net) and small-planar (it, for thin stacks).</summary>
    public static IReadOnlyDictionary<string, ModelArchitecture> Presets { get; } = new Dictionary<string, ModelArchitecture>(StringComparer.OrdinalIgnoreCase)
    {
        ["small"] = Small,
        ["small-planar"] = SmallPlanar,
    };

    public int Levels => DownsampleFactors.Count + 1;

    /// <summary>A preset by name; <paramref name="source"/> names the key or option in errors.</summary>
    public static ModelArchitecture Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Presets.TryGetValue(text.Trim(), out var preset)
            ? preset
            : throw new ArgumentException($"{source}: '{text}' is not an architecture; the presets are {string.Join(", ", Presets.Keys)}");
    }

    /// <summary>The preset's name, or the shape itself.</summary>
    public override string ToString() =>
        Presets.FirstOrDefault(p => ReferenceEquals(p.Value, this)).Key
        ?? $"{BaseFeatures} features x{FeatureMultiplier} per level, downsampling {string.Join(" ", DownsampleFactors.Select(f => string.Join("x", f)))}{(Planar ? ", planar" : "")}";

    public int FeaturesAt(int level) => BaseFeatures * (int)Math.Pow(FeatureMultiplier, level);

    /// <summary>The largest factor by which the network shrinks Y or X: no crop narrower than this can be used.</summary>
    public int InPlaneDownsample => TotalDownsample()[1..].Max();

    /// <summary>This network as a 2D one: the same features, 1x3x3 kernels and no downsampling along Z.</summary>
    public ModelArchitecture AsPlanar() =>
        this with { DownsampleFactors = DownsampleFactors.Select(f => new[] { 1, f[1], f[2] }).ToList(), Planar = true };

    /// <summary>The product of all factors per axis: input sizes must be multiples of it.</summary>
    public int[] TotalDownsample()
    {
        var total = new[] { 1, 1, 1 };
        foreach (var factor in DownsampleFactors)
        {
            for (var axis = 0; axis < 3; axis++)
            {
                total[axis] *= factor[axis];
            }
        }

        return total;
    }
}
