using SkiaSharp;

namespace HotDistance.Charts;

/// <summary>
/// The sans-serif family the pictures use (the report's, a training run's loss.png). ScottPlot's own "sans" pick can land on a serif family on
/// Linux, so the report asks the font manager for common sans families itself and falls back to ScottPlot's.
/// </summary>
public static class ReportFonts
{
    private static readonly string[] Preferred = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "Lato"];

    public static string Family { get; } = Choose();

    private static readonly SKTypeface Regular = SKTypeface.FromFamilyName(Family, SKFontStyle.Normal) ?? SKTypeface.Default;
    private static readonly SKTypeface BoldFace = SKTypeface.FromFamilyName(Family, SKFontStyle.Bold) ?? Regular;

    /// <summary>Shared for the life of the process; callers must not dispose it.</summary>
    public static SKTypeface Typeface(bool bold) => bold ? BoldFace : Regular;

    private static string Choose()
    {
        var installed = SKFontManager.Default.FontFamilies.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Preferred.FirstOrDefault(installed.Contains) ?? ScottPlot.Fonts.Sans;
    }
}
