using System.Globalization;
using HotDistance.Charts;
using HotDistance.Contracts;
using ScottPlot;

namespace HotDistance.Ablation;

/// <summary>
/// The ablation's pictures: a score against density for every arm, with the bootstrap interval of its mean as a band,
/// and hot-distance's score against lambda at each density beside the one-hot and distance levels.
/// </summary>
internal static class AblationCharts
{
    public static byte[] ScoreByDensity(AblationFigures figures, string score)
    {
        var plot = NewPlot();
        var xs = Enumerable.Range(0, figures.Densities.Count).Select(i => (double)i).ToArray();
        foreach (var (arm, index) in figures.Arms.Select((a, i) => (a, i)))
        {
            var points = figures.Densities.Select(d => figures.Row(arm, d)?.Score(score)).ToList();
            var kept = points.Select((p, i) => (p, i)).Where(p => p.p is not null).ToList();
            if (kept.Count == 0)
            {
                continue;
            }

            var row = figures.Rows.First(r => r.Arm == arm);
            var color = ArmColor(row, figures);
            var x = kept.Select(p => xs[p.i] + Jitter(index, figures.Arms.Count)).ToArray();
            Line(plot, x, kept.Select(p => p.p!).ToList(), color, arm);
        }

        return Finish(
            plot,
            xs,
            figures.Densities,
            $"Held-out {score} score against annotation density (mean over seeds, band: {Percent(figures.ConfidenceLevel)} bootstrap interval)",
            "annotation density (training crops thinned; held-out crops never)",
            score,
            height: 520);
    }

    public static byte[]? ScoreByLambda(AblationFigures figures, string score)
    {
        var lambdas = figures.Rows.Where(r => r.Lambda is not null).Select(r => r.Lambda!.Value).Distinct().Order().ToArray();
        if (lambdas.Length == 0)
        {
            return null;
        }

        var plot = NewPlot();
        var xs = lambdas.Select(Math.Log10).ToArray();
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var (density, index) in figures.Densities.Select((d, i) => (d, i)))
        {
            var color = palette.GetColor(index + 3);
            var points = lambdas.Select(l => figures.Rows.FirstOrDefault(r => r.Density == density && r.Lambda == l)?.Score(score)).ToList();
            if (points.Any(p => p is null))
            {
                continue;
            }

            Line(plot, xs, points.Select(p => p!).ToList(), color, $"hot-distance, {density}");
            foreach (var baseline in new[] { Variants.OneHot, Variants.Distance })
            {
                if (figures.Row(baseline, density)?.Score(score) is { } level)
                {
                    var flat = plot.Add.HorizontalLine(level.Mean, 1.5f, color, baseline == Variants.OneHot ? LinePattern.Dashed : LinePattern.Dotted);
                    flat.LegendText = $"{baseline}, {density}";
                }
            }
        }

        return Finish(
            plot,
            xs,
            lambdas.Select(l => l.ToString("0.###", CultureInfo.InvariantCulture)).ToList(),
            $"Held-out {score} score of hot-distance against lambda (dashed: one-hot, dotted: distance)",
            "lambda (weight of the distance loss; log scale)",
            score,
            height: 560);
    }

    /// <summary>Axes, titles and legend, the same in both charts: scores from 0 to 1, the legend below.</summary>
    private static byte[] Finish(Plot plot, double[] ticks, IReadOnlyList<string> labels, string title, string xLabel, string score, int height)
    {
        plot.Axes.Bottom.SetTicks(ticks, labels.ToArray());
        plot.Axes.SetLimitsY(0, 1.05);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel($"{score} score");
        plot.ShowLegend(Edge.Bottom);
        return plot.GetImageBytes(1000, height, ImageFormat.Png);
    }

    /// <summary>The means as a line with markers, over the band of their intervals where every point has one.</summary>
    private static void Line(Plot plot, double[] xs, IReadOnlyList<ScoreFigures> points, Color color, string legend)
    {
        if (points.All(p => p.MeanInterval is not null))
        {
            var band = plot.Add.FillY(xs, points.Select(p => p.MeanInterval!.Lower).ToArray(), points.Select(p => p.MeanInterval!.Upper).ToArray());
            band.FillColor = color.WithAlpha(0.13);
            band.LineColor = color.WithAlpha(0);
        }

        var line = plot.Add.Scatter(xs, points.Select(p => p.Mean).ToArray(), color);
        line.LineWidth = 2;
        line.MarkerSize = 7;
        line.LegendText = legend;
    }

    /// <summary>The variant's colour; hot-distance arms in lighter and darker shades of it, one per lambda.</summary>
    private static Color ArmColor(ArmFigures row, AblationFigures figures)
    {
        var color = VariantColors.Of(row.Variant);
        if (row.Lambda is null)
        {
            return color;
        }

        var lambdas = figures.Rows.Where(r => r.Lambda is not null).Select(r => r.Lambda!.Value).Distinct().Order().ToList();
        var position = lambdas.Count < 2 ? 0.5 : lambdas.IndexOf(row.Lambda.Value) / (double)(lambdas.Count - 1);
        return position < 0.5 ? color.Lighten(0.5 - position) : color.Darken((position - 0.5) * 0.8);
    }

    /// <summary>Arms drawn a little apart along x, so bands and markers at one density do not hide each other.</summary>
    private static double Jitter(int index, int count) => count < 2 ? 0 : ((index / (double)(count - 1)) - 0.5) * 0.2;

    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set(ReportFonts.Family);
        return plot;
    }

    private static string Percent(double level) => (level * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
