using HotDistance.Charts;
using HotDistance.Contracts;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace HotDistance.Evaluator;

/// <summary>
/// history.png: each variant's held-out overall score as a challenger, generation by generation, with the
/// champion it was compared against as a dashed black line and each generation's winner ringed in black (green is
/// hot-distance's colour).
/// </summary>
internal static class HistoryChart
{
    public static byte[] Render(IReadOnlyList<GenerationScores> history)
    {
        var plot = new Plot();
        plot.Font.Set(ReportFonts.Family);
        var variants = history.SelectMany(g => g.Scores).Where(s => s.Role == ModelRoles.Challenger).Select(s => s.Variant)
            .Distinct().OrderBy(v => Variants.All.ToList().IndexOf(v) is var i && i >= 0 ? i : int.MaxValue).ThenBy(v => v, StringComparer.Ordinal).ToList();
        for (var v = 0; v < variants.Count; v++)
        {
            var points = history
                .Select(g => (g.GenerationNumber, Score: g.Scores.FirstOrDefault(s => s.Role == ModelRoles.Challenger && s.Variant == variants[v])))
                .Where(p => p.Score is not null)
                .ToList();
            var line = plot.Add.ScatterLine(points.Select(p => (double)p.GenerationNumber).ToArray(), points.Select(p => p.Score!.Overall).ToArray(), VariantColors.Of(variants[v]));
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.LegendText = variants[v];
        }

        var champion = history
            .Select(g => (g.GenerationNumber, Score: g.Scores.FirstOrDefault(s => s.Role == ModelRoles.Champion)))
            .Where(p => p.Score is not null)
            .ToList();
        if (champion.Count > 0)
        {
            var line = plot.Add.ScatterLine(champion.Select(p => (double)p.GenerationNumber).ToArray(), champion.Select(p => p.Score!.Overall).ToArray(), Colors.Black);
            line.LinePattern = LinePattern.Dashed;
            line.LineWidth = 1.5f;
            line.MarkerSize = 5;
            line.LegendText = "champion (re-scored)";
        }

        var winners = history
            .Select(g => (g.GenerationNumber, Score: g.Scores.FirstOrDefault(s => s.Role == ModelRoles.Challenger && s.Variant == g.WinnerVariant)))
            .Where(p => p.Score is not null)
            .ToList();
        if (winners.Count > 0)
        {
            var rings = plot.Add.ScatterPoints(winners.Select(p => (double)p.GenerationNumber).ToArray(), winners.Select(p => p.Score!.Overall).ToArray(), Colors.Black);
            rings.MarkerShape = MarkerShape.OpenCircle;
            rings.MarkerSize = 16;
            rings.MarkerLineWidth = 2;
            rings.LegendText = "promoted";
        }

        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        var first = history.Min(g => g.GenerationNumber);
        var last = history.Max(g => g.GenerationNumber);
        plot.Axes.SetLimitsX(first - 0.5, last + 0.5);
        plot.Axes.SetLimitsY(0, 1.05);
        plot.Title("Held-out overall score by generation");
        plot.XLabel("generation");
        plot.YLabel("overall score");
        plot.ShowLegend(Edge.Bottom);
        return plot.GetImageBytes(900, 450, ImageFormat.Png);
    }
}
