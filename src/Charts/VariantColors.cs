using HotDistance.Contracts;
using ScottPlot;

namespace HotDistance.Charts;

/// <summary>Each variant's colour, the same in every chart and every report: one-hot, distance, hot-distance in order.</summary>
public static class VariantColors
{
    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    public static Color Of(string variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        var index = Variants.All.ToList().IndexOf(variant);
        return Palette.GetColor(index >= 0 ? index : Variants.All.Count + (int)((uint)StringComparer.Ordinal.GetHashCode(variant) % 6));
    }
}
