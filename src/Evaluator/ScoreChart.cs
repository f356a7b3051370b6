using System.Globalization;
using HotDistance.Charts;
using ScottPlot;

namespace HotDistance.Evaluator;

/// <summary>scores.png: the overall and per-class held-out score of every model as grouped bars.</summary>
internal static class ScoreChart
{
    public static byte[] Render(IReadOnlyList<ScoredModel> models, IReadOnlyList<string> classes)
    {
        var plot = new Plot();
        plot.Font.Set(ReportFonts.Family);
        var groups = classes.Prepend("overall").ToList();
        var width = 0.8 / Math.Max(models.Count, 1);
        for (var m = 0; m < models.Count; m++)
        {
            var color = ReportColors.Model(models[m].Score.Variant, models[m].Score.Role);
            var bars = groups.Select((name, g) => new Bar
            {
                Position = g + ((m - ((models.Count - 1) / 2.0)) * width),
                Value = name == "overall" ? models[m].Score.Overall : models[m].Score.PerClass.GetValueOrDefault(name),
                Size = width * 0.9,
                FillColor = color,
            }).ToList();
            foreach (var bar in bars)
            {
                bar.Label = bar.Value.ToString("F2", CultureInfo.InvariantCulture);
            }

            var plottable = plot.Add.Bars(bars);
            plottable.ValueLabelStyle.FontSize = 11;
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"{models[m].Score.Variant} ({models[m].Score.Role})", FillColor = color });
        }

        plot.Axes.Bottom.SetTicks(groups.Select((_, g) => (double)g).ToArray(), groups.ToArray());
        // Room above 1 for the value labels, but not so much that a meaningless 1.1 tick appears.
        plot.Axes.SetLimitsY(0, 1.09);
        plot.Axes.Left.Label.Text = "held-out score";
        plot.Title("Held-out score per class");
        plot.ShowLegend(Edge.Bottom);
        return plot.GetImageBytes(800, 450, ImageFormat.Png);
    }
}
