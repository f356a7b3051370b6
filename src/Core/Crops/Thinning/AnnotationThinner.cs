using HotDistance.Core.Volumes;

namespace HotDistance.Core.Crops.Thinning;

/// <summary>
/// Removes annotation from a crop as an <see cref="AnnotationDensity"/> says, deterministically: the same crop, level
/// and seed always give the same thinned crop, whichever variant or training seed asks, so every cell of an ablation
/// trains on identical labels. The raw data is shared, never changed; labels are copied. Unknown voxels are marked
/// 255 in every kept class (instance ids there become 0), which the targets give weight 0: they leave the loss.
/// </summary>
public static class AnnotationThinner
{
    /// <summary>The training crops a level uses: the first <see cref="AnnotationDensity.CropCount"/>, each thinned.</summary>
    public static IReadOnlyList<Crop> ThinAll(IReadOnlyList<Crop> crops, AnnotationDensity density, int seed)
    {
        ArgumentNullException.ThrowIfNull(crops);
        ArgumentNullException.ThrowIfNull(density);
        var used = density.CropCount > 0 ? crops.Take(density.CropCount) : crops;
        return used.Select(c => Thin(c, density, seed)).ToList();
    }

    public static Crop Thin(Crop crop, AnnotationDensity density, int seed)
    {
        ArgumentNullException.ThrowIfNull(crop);
        ArgumentNullException.ThrowIfNull(density);
        if (density.KeepsLabels)
        {
            return crop;
        }

        // One stream per crop, keyed by its name, so a crop is thinned the same way whatever crops come before it.
        var random = new Random(unchecked(seed * 31 + StableHash(crop.Name)));
        var kept = KeptClasses(crop, density.ClassesPerCrop, random);
        var unknown = density.VoxelFraction < 1.0 ? UnknownRegion(crop.Shape, density, random) : null;
        var labels = new Dictionary<string, ClassLabels>(StringComparer.Ordinal);
        foreach (var name in kept)
        {
            labels[name] = unknown is null ? crop.Labels[name] : MarkUnknown(crop.Labels[name], unknown);
        }

        return crop.With(labels: labels);
    }

    /// <summary>k of the crop's classes, drawn without replacement; all of them when k is 0 or at least their number.</summary>
    private static List<string> KeptClasses(Crop crop, int classesPerCrop, Random random)
    {
        var names = crop.Labels.Keys.Order(StringComparer.Ordinal).ToArray();
        if (classesPerCrop == 0 || classesPerCrop >= names.Length)
        {
            return [.. names];
        }

        random.Shuffle(names);
        return names.Take(classesPerCrop).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Which voxels become unknown: whole units (slabs across the longest axis, or cubes on a grid) drawn without
    /// replacement until the unknown share reaches 1 - fraction as closely as whole units allow (at least one unit
    /// stays known, so a crop never loses all its annotation).
    /// </summary>
    internal static bool[] UnknownRegion(Shape3 shape, AnnotationDensity density, Random random)
    {
        var units = density.Pattern == UnknownPattern.Slabs ? Slabs(shape, density.BlockSize) : Blocks(shape, density.BlockSize);
        var order = Enumerable.Range(0, units.Count).ToArray();
        random.Shuffle(order);
        var unknown = new bool[shape.Count];
        var target = (1.0 - density.VoxelFraction) * shape.Count;
        long marked = 0;
        for (var u = 0; u < order.Length - 1; u++)
        {
            var (from, to) = units[order[u]];
            var size = (long)(to.Z - from.Z) * (to.Y - from.Y) * (to.X - from.X);
            // Take a unit while that brings the unknown share closer to the target than leaving it.
            if (Math.Abs(marked + size - target) >= Math.Abs(marked - target))
            {
                continue;
            }

            marked += size;
            for (var z = from.Z; z < to.Z; z++)
            {
                for (var y = from.Y; y < to.Y; y++)
                {
                    Array.Fill(unknown, true, shape.Index(z, y, from.X), to.X - from.X);
                }
            }
        }

        return unknown;
    }

    private static List<(Shape3 From, Shape3 To)> Slabs(Shape3 shape, int thickness)
    {
        var axis = shape.Z >= shape.Y && shape.Z >= shape.X ? 0 : shape.Y >= shape.X ? 1 : 2;
        var slabs = new List<(Shape3, Shape3)>();
        for (var start = 0; start < shape[axis]; start += thickness)
        {
            var end = Math.Min(start + thickness, shape[axis]);
            slabs.Add(axis switch
            {
                0 => (new Shape3(start, 0, 0), new Shape3(end, shape.Y, shape.X)),
                1 => (new Shape3(0, start, 0), new Shape3(shape.Z, end, shape.X)),
                _ => (new Shape3(0, 0, start), new Shape3(shape.Z, shape.Y, end)),
            });
        }

        return slabs;
    }

    private static List<(Shape3 From, Shape3 To)> Blocks(Shape3 shape, int edge)
    {
        var blocks = new List<(Shape3, Shape3)>();
        for (var z = 0; z < shape.Z; z += edge)
        {
            for (var y = 0; y < shape.Y; y += edge)
            {
                for (var x = 0; x < shape.X; x += edge)
                {
                    blocks.Add((new Shape3(z, y, x), new Shape3(Math.Min(z + edge, shape.Z), Math.Min(y + edge, shape.Y), Math.Min(x + edge, shape.X))));
                }
            }
        }

        return blocks;
    }

    private static ClassLabels MarkUnknown(ClassLabels labels, bool[] unknown)
    {
        var mask = labels.Mask.Clone();
        var ids = labels.Instances?.Clone();
        for (var i = 0; i < unknown.Length; i++)
        {
            if (unknown[i])
            {
                mask.Data[i] = LabelValues.Unknown;
                if (ids is not null)
                {
                    ids.Data[i] = 0;
                }
            }
        }

        return labels with { Mask = mask, Instances = ids };
    }

    /// <summary>FNV-1a of the name: string.GetHashCode differs from process to process.</summary>
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return unchecked((int)hash);
    }
}
