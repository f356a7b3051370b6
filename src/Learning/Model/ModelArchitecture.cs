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

    /// <summary>
    /// The CellMap challenge's U-Net as dacapo and the COSEM models build it: 12 features, six times more per level,
    /// downsampling 2, 3 and 3 (12, 72, 432, 2592 features). For GPU runners; patches are multiples of 18.
    /// </summary>
    public static ModelArchitecture Standard { get; } = new(12, 6, [[2, 2, 2], [3, 3, 3], [3, 3, 3]]);

    /// <summary><see cref="Standard"/> as a 2D network for thin stacks.</summary>
    public static ModelArchitecture StandardPlanar { get; } = Standard.AsPlanar();

    /// <summary>
    /// The networks a configuration names: small (the CPU demo's 3D U-Net), standard (sized like the CellMap U-Nets,
    /// for a GPU), and each as a planar network for thin stacks.
    /// </summary>
    public static IReadOnlyDictionary<string, ModelArchitecture> Presets { get; } = new Dictionary<string, ModelArchitecture>(StringComparer.OrdinalIgnoreCase)
    {
        ["small"] = Small,
        ["small-planar"] = SmallPlanar,
        ["standard"] = Standard,
        ["standard-planar"] = StandardPlanar,
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

    private static long Convolutions(long inChannels, long outChannels, long kernel) =>
        (inChannels * outChannels * kernel) + outChannels + (outChannels * outChannels * kernel) + outChannels;

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

    /// <summary>The learnable parameters of this network with <paramref name="heads"/>: convolutions' weights and biases.</summary>
    public long ParameterCount(HeadLayout heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        long kernel = Planar ? 9 : 27;
        long total = 0;
        long inChannels = 1;
        for (var level = 0; level < Levels; level++)
        {
            long features = FeaturesAt(level);
            total += Convolutions(inChannels, features, kernel);
            inChannels = features;
        }

        for (var level = 0; level < DownsampleFactors.Count; level++)
        {
            long features = FeaturesAt(level);
            long factor = DownsampleFactors[level].Aggregate(1L, (product, f) => product * f);
            total += (FeaturesAt(level + 1) * features * factor) + features;
            total += Convolutions(2 * features, features, kernel);
        }

        return total + ((heads.OneHot ? 1 : 0) + (heads.Distance ? 1 : 0)) * ((BaseFeatures * (long)heads.ClassCount) + heads.ClassCount);
    }

    /// <summary>
    /// An estimate of the memory one training patch of <paramref name="patchSize"/>^3 voxels takes on the device:
    /// the float32 activations backpropagation keeps (each convolution's and ReLU's output, the pooled, upsampled and
    /// concatenated maps), doubled for their gradients. Weights and optimiser state come on top (16 bytes a parameter).
    /// </summary>
    public long ActivationBytesPerPatch(int patchSize, HeadLayout heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        var voxels = Math.Pow(patchSize, 3);
        double values = 0;
        for (var level = 0; level < Levels; level++)
        {
            double features = FeaturesAt(level);
            values += 4 * features * voxels; // encoder: two convolutions and their ReLUs
            if (level < DownsampleFactors.Count)
            {
                var shrink = DownsampleFactors[level].Aggregate(1.0, (product, f) => product * f);
                values += features * voxels / shrink; // pooled
                values += 7 * features * voxels; // decoder: upsampled, concatenated (two maps), two convolutions and their ReLUs
                voxels /= shrink;
            }
        }

        return (long)((values + (heads.Channels * Math.Pow(patchSize, 3))) * sizeof(float) * 2);
    }

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
