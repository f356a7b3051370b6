using System.Globalization;
using HotDistance.Contracts;

namespace HotDistance.Ablation;

/// <summary>One trained configuration of the comparison: a variant, and for hot-distance its lambda.</summary>
public sealed record AblationArm(string Variant, double? Lambda = null)
{
    public static AblationArm OneHot { get; } = new(Variants.OneHot);

    public static AblationArm Distance { get; } = new(Variants.Distance);

    /// <summary>As tables and charts show it: <c>hot-distance λ=0.3</c>.</summary>
    public string Label => Lambda is { } l ? string.Create(CultureInfo.InvariantCulture, $"{Variant} λ={l:0.###}") : Variant;

    /// <summary>As folder names hold it: <c>hot-distance-l0.3</c>.</summary>
    public string Key => Lambda is { } l ? string.Create(CultureInfo.InvariantCulture, $"{Variant}-l{l:0.###}") : Variant;
}
