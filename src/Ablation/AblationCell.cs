using System.Globalization;
using HotDistance.Core.Crops.Thinning;

namespace HotDistance.Ablation;

/// <summary>
/// One training of the grid and its scoring. <see cref="Key"/> names it everywhere (its folder, its result, a
/// distributed job's domain key), so a cell that finished is recognised and never repeated.
/// </summary>
public sealed record AblationCell(AblationArm Arm, AnnotationDensity Density, int Seed)
{
    /// <summary>Letters, digits, '.', '-' and '_' only (an identifier a message may carry and a folder may take).</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{Arm.Key}__{Density.Name.Replace(':', '-').Replace('=', '-').Replace('+', '_')}__seed{Seed}");

    public string Label => string.Create(CultureInfo.InvariantCulture, $"{Arm.Label} · {Density.Name} · seed {Seed}");
}
