using HotDistance.Charts;
using HotDistance.Contracts;
using ScottPlot;

namespace HotDistance.Evaluator;

/// <summary>
/// The colours the report's pictures share, so a model has the same colour in every chart and a class the same
/// colour in every slice.
/// </summary>
public static class ReportColors
{
    // Bright, distinct hues that read well over grey EM; grey itself is left out on purpose.
    private static readonly uint[] Labels =
    [
        0xFFE6194B, 0xFF3CB44B, 0xFFFFE119, 0xFF4363D8, 0xFFF58231, 0xFF911EB4,
        0xFF42D4F4, 0xFFF032E6, 0xFFBFEF45, 0xFFFABED4, 0xFF469990, 0xFFDCBEFF,
    ];

    /// <summary>A scored model's colour: its variant's, paler for the champion so it stands apart from the challenger of its variant.</summary>
    public static Color Model(string variant, string role) =>
        role == ModelRoles.Champion ? VariantColors.Of(variant).Lighten(0.45) : VariantColors.Of(variant);

    /// <summary>The colour of a semantic class, by its position among the report's classes.</summary>
    public static uint SemanticClass(int classIndex) => Labels[(classIndex * 5 + 4) % Labels.Length];

    /// <summary>A colour for an instance id; neighbouring ids get unrelated colours so touching instances differ.</summary>
    public static uint Instance(uint id) => Labels[(int)(id * 2654435761u >> 16) % Labels.Length];
}
