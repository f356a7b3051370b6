using System.Globalization;
using HotDistance.Charts;
using HotDistance.Core.Crops;
using HotDistance.Core.Metrics;
using SkiaSharp;

namespace HotDistance.Evaluator;

/// <summary>
/// slices-&lt;cropId&gt;.png: one row per annotated class of a held-out crop, with the raw middle slice, the truth
/// (unknown voxels hatched) and every model's post-processed prediction side by side over the same raw. Small
/// crops are enlarged with nearest-neighbour sampling so single voxels stay visible and sharp.
/// </summary>
internal static class SliceFigure
{
    private const int MinPanel = 192;
    private const int MaxPanel = 320;
    private const int RowLabelWidth = 120;
    private const int Gap = 12;
    private const int TitleHeight = 36;
    private const int HeaderHeight = 44;
    private const int CaptionHeight = 26;
    private const int LegendHeight = 30;

    /// <summary>The lengths a scale bar may have, in nm.</summary>
    private static readonly double[] ScaleBarLengths = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

    public static byte[] Render(CropSlice crop, IReadOnlyList<ScoredModel> models, IReadOnlyList<string> classOrder)
    {
        var rows = crop.Truth.Keys.Order(StringComparer.Ordinal).ToList();
        var scale = Scale(Math.Max(crop.Height, crop.Width));
        var panelWidth = (int)Math.Round(crop.Width * scale);
        var panelHeight = (int)Math.Round(crop.Height * scale);
        var columns = 2 + models.Count;
        var width = RowLabelWidth + (columns * (panelWidth + Gap)) + Gap;
        var rowHeight = panelHeight + CaptionHeight + Gap;
        var legendTop = TitleHeight + HeaderHeight + (Math.Max(rows.Count, 1) * rowHeight);
        var height = legendTop + LegendHeight;

        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var regular = new SKFont(ReportFonts.Typeface(bold: false), 13);
        using var bold = new SKFont(ReportFonts.Typeface(bold: true), 14);
        using var large = new SKFont(ReportFonts.Typeface(bold: true), 17);
        using var ink = new SKPaint { Color = new SKColor(0x22, 0x22, 0x22), IsAntialias = true };
        using var muted = new SKPaint { Color = new SKColor(0x66, 0x66, 0x66), IsAntialias = true };

        canvas.DrawText(
            string.Create(CultureInfo.InvariantCulture, $"{crop.CropName} ({crop.CropId}): middle slice z = {crop.Z} of {crop.Depth}, {crop.Height} x {crop.Width} voxels"),
            Gap, 24, SKTextAlign.Left, large, ink);

        var headerY = TitleHeight + 18;
        var columnX = Enumerable.Range(0, columns).Select(c => RowLabelWidth + Gap + (c * (panelWidth + Gap))).ToArray();
        DrawHeader(canvas, columnX[0], panelWidth, headerY, "raw", null, bold, muted, regular, null);
        DrawHeader(canvas, columnX[1], panelWidth, headerY, "truth", "unknown hatched", bold, muted, regular, null);
        for (var m = 0; m < models.Count; m++)
        {
            DrawHeader(canvas, columnX[2 + m], panelWidth, headerY, models[m].Score.Variant, models[m].Score.Role, bold, muted, regular, ReportColors.Model(models[m].Score.Variant, models[m].Score.Role));
        }

        var contrast = Contrast.Of(crop.Raw);
        for (var r = 0; r < rows.Count; r++)
        {
            var className = rows[r];
            var truth = crop.Truth[className];
            var top = TitleHeight + HeaderHeight + (r * rowHeight);
            var isInstance = truth.Instances is not null;
            var classColor = ReportColors.SemanticClass(Math.Max(0, IndexOf(classOrder, className)));
            canvas.DrawText(className, Gap, top + (panelHeight / 2f), SKTextAlign.Left, bold, ink);
            canvas.DrawText(isInstance ? "instances" : "semantic", Gap, top + (panelHeight / 2f) + 18, SKTextAlign.Left, regular, muted);

            var panel = new SlicePanel(crop, scale, panelWidth, panelHeight, contrast);
            DrawPanel(canvas, panel.Render(null, truth, classColor, hatchStrength: 0f), columnX[0], top);
            DrawPanel(canvas, panel.Render(truth, truth, classColor, hatchStrength: 1f), columnX[1], top);
            DrawCaption(canvas, columnX[0], panelWidth, top + panelHeight, RawCaption(crop), regular, muted);
            DrawScaleBar(canvas, crop, scale, columnX[0], top + panelHeight, panelWidth, regular);
            DrawCaption(canvas, columnX[1], panelWidth, top + panelHeight, TruthCaption(truth), regular, muted);
            for (var m = 0; m < models.Count; m++)
            {
                var predicted = models[m].Examples?.FirstOrDefault(e => e.CropName == crop.CropName)?.Classes.GetValueOrDefault(className);
                DrawPanel(canvas, panel.Render(predicted, truth, classColor, hatchStrength: 0.5f, outlineTruth: true), columnX[2 + m], top);
                var caption = predicted is null ? "not predicted" : ScoreCaption(models[m].Report, crop.CropName, className);
                DrawCaption(canvas, columnX[2 + m], panelWidth, top + panelHeight, caption, regular, predicted is null ? muted : ink);
            }
        }

        if (rows.Count == 0)
        {
            var panel = new SlicePanel(crop, scale, panelWidth, panelHeight, contrast);
            DrawPanel(canvas, panel.Render(null, null, 0, 0f), columnX[0], TitleHeight + HeaderHeight);
            DrawCaption(canvas, columnX[1], panelWidth * 2, TitleHeight + HeaderHeight + (panelHeight / 2), "this crop annotates no class", regular, muted);
        }

        canvas.DrawText(
            "Hatched: truth unknown (not scored). Dashed black-and-white line on predictions: the truth's boundary. Captions score the whole crop. The bar on the raw slice gives the scale.",
            Gap, legendTop + 12, SKTextAlign.Left, regular, muted);

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Whole-number enlargement up to at least <see cref="MinPanel"/> px; big slices shrink to <see cref="MaxPanel"/>.</summary>
    private static double Scale(int longest) =>
        longest <= 0 ? 1
        : longest < MinPanel ? Math.Ceiling((double)MinPanel / longest)
        : longest > MaxPanel ? (double)MaxPanel / longest
        : 1;

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == item)
            {
                return i;
            }
        }

        return -1;
    }

    private static void DrawHeader(SKCanvas canvas, int x, int width, int y, string title, string? subtitle, SKFont bold, SKPaint muted, SKFont regular, ScottPlot.Color? swatch)
    {
        using var ink = new SKPaint { Color = new SKColor(0x22, 0x22, 0x22), IsAntialias = true };
        var centre = x + (width / 2f);
        canvas.DrawText(Fit(title, bold, width), centre, y, SKTextAlign.Center, bold, ink);
        if (subtitle is not null)
        {
            canvas.DrawText(Fit(subtitle, regular, width), centre, y + 17, SKTextAlign.Center, regular, muted);
        }

        if (swatch is { } color)
        {
            using var fill = new SKPaint { Color = new SKColor(color.R, color.G, color.B) };
            canvas.DrawRect(x, y + 22, width, 4, fill);
        }
    }

    /// <summary>
    /// A white bar with a black edge in the raw panel's lower left, of a round length (10 nm to 10 µm) near a quarter of
    /// the panel, labelled with it; none when the crop's voxel size is unknown.
    /// </summary>
    private static void DrawScaleBar(SKCanvas canvas, CropSlice crop, double scale, int x, int panelBottom, int panelWidth, SKFont font)
    {
        if (crop.PixelNm is not { } pixelNm || !(pixelNm > 0))
        {
            return;
        }

        var panelNm = crop.Width * pixelNm;
        var lengthNm = ScaleBarLengths.LastOrDefault(l => l <= panelNm / 4, ScaleBarLengths[0]);
        var length = (float)(lengthNm / pixelNm * scale);
        if (length < 4 || length > panelWidth - 12)
        {
            return;
        }

        var label = lengthNm >= 1000 ? string.Create(CultureInfo.InvariantCulture, $"{lengthNm / 1000:G3} µm") : string.Create(CultureInfo.InvariantCulture, $"{lengthNm:G3} nm");
        var left = x + 6f;
        var top = panelBottom - 12f;
        using var edge = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var bar = new SKPaint { Color = SKColors.White, IsAntialias = true };
        canvas.DrawRect(left - 1, top - 1, length + 2, 6, edge);
        canvas.DrawRect(left, top, length, 4, bar);
        using var halo = new SKPaint { Color = SKColors.Black, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 3 };
        canvas.DrawText(label, left, top - 4, SKTextAlign.Left, font, halo);
        canvas.DrawText(label, left, top - 4, SKTextAlign.Left, font, bar);
    }

    private static void DrawCaption(SKCanvas canvas, int x, int width, int panelBottom, string text, SKFont font, SKPaint paint) =>
        canvas.DrawText(Fit(text, font, width), x + (width / 2f), panelBottom + 18, SKTextAlign.Center, font, paint);

    private static void DrawPanel(SKCanvas canvas, SKBitmap panel, int x, int y)
    {
        using (panel)
        {
            canvas.DrawBitmap(panel, x, y);
            using var frame = new SKPaint { Color = new SKColor(0xBB, 0xBB, 0xBB), Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
            canvas.DrawRect(x - 0.5f, y - 0.5f, panel.Width + 1, panel.Height + 1, frame);
        }
    }

    /// <summary>Shortens text with an ellipsis until it fits the column.</summary>
    private static string Fit(string text, SKFont font, float width)
    {
        if (font.MeasureText(text) <= width)
        {
            return text;
        }

        var length = text.Length;
        while (length > 1 && font.MeasureText(string.Concat(text.AsSpan(0, length), "…")) > width)
        {
            length--;
        }

        return string.Concat(text.AsSpan(0, length), "…");
    }

    private static string RawCaption(CropSlice crop) =>
        string.Create(CultureInfo.InvariantCulture, $"z = {crop.Z}");

    private static string TruthCaption(LabelSlice truth)
    {
        var known = truth.Mask.Count(v => v != LabelValues.Unknown);
        if (known == 0)
        {
            return "all unknown";
        }

        var present = truth.Mask.Count(v => v != LabelValues.Unknown && v != LabelValues.Absent);
        var unknown = truth.Mask.Length - known;
        var text = truth.Instances is { } ids
            ? string.Create(CultureInfo.InvariantCulture, $"{ids.Where(id => id != 0).Distinct().Count()} instances here")
            : string.Create(CultureInfo.InvariantCulture, $"{100.0 * present / truth.Mask.Length:F0}% present");
        return unknown == 0 ? text : string.Create(CultureInfo.InvariantCulture, $"{text}, {100.0 * unknown / truth.Mask.Length:F0}% unknown");
    }

    /// <summary>This crop's score for the class (the whole crop, not just the slice shown).</summary>
    private static string ScoreCaption(ScoreReport report, string cropName, string className)
    {
        var score = report.Crops.FirstOrDefault(c => c.CropName == cropName && c.ClassName == className);
        return score switch
        {
            null => "not scored",
            { Instances: { } instances } => string.Create(CultureInfo.InvariantCulture, $"crop score {score.Score:F2} (F1 {instances.Counts.F1:F2})"),
            _ => string.Create(CultureInfo.InvariantCulture, $"crop IoU {score.IoU:F2}"),
        };
    }
}
