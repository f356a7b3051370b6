using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace HotDistance.Charts;

/// <summary>
/// loss.png: each model's training loss by step, smoothed with a centred moving average over the raw curve
/// drawn faintly. Losses that span more than a few-fold range are drawn on a log axis so that variants with
/// differently scaled losses (BCE vs. distance regression) stay readable side by side.
/// </summary>
public static class LossChart
{
    public static byte[] Render(IReadOnlyList<LossCurve> curves)
    {
        var plot = new Plot();
        plot.Font.Set(ReportFonts.Family);
        var values = curves.SelectMany(c => c.Loss).Where(double.IsFinite).ToList();
        var logScale = values.Count > 0 && values.All(v => v > 0) && values.Max() / values.Min() > 4;
        Func<double, double> y = logScale ? Math.Log10 : v => v;
        var window = 1;
        foreach (var curve in curves)
        {
            var steps = Enumerable.Range(1, curve.Loss.Count).Select(s => (double)s).ToArray();
            var keep = curve.Loss.Select(double.IsFinite).ToArray();
            var halfWidth = SmoothingHalfWidth(curve.Loss.Count);
            window = Math.Max(window, (2 * halfWidth) + 1);
            var smoothed = MovingAverage(curve.Loss, halfWidth);
            var color = VariantColors.Of(curve.Variant);

            var raw = plot.Add.ScatterLine(Pick(steps, keep), Pick(curve.Loss.Select(y).ToArray(), keep), color.WithAlpha(0.35));
            raw.LineWidth = 1.2f;
            var line = plot.Add.ScatterLine(Pick(steps, keep), Pick(smoothed.Select(y).ToArray(), keep), color);
            line.LineWidth = 2.5f;
            line.LegendText = curve.Variant;
        }

        if (curves.Max(c => c.Loss.Count) < 20)
        {
            plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        }

        if (logScale)
        {
            plot.Axes.Left.TickGenerator = LogTicks(values.Min(), values.Max());
        }

        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Training loss (moving average over {window} steps; raw curve faint)"));
        plot.XLabel("training step");
        plot.YLabel(logScale ? "loss (log scale)" : "loss");
        plot.ShowLegend(Edge.Bottom);
        return plot.GetImageBytes(900, 450, ImageFormat.Png);
    }

    /// <summary>About a 25th of the run either way, at least 2 steps, so short demo runs are smoothed too.</summary>
    private static int SmoothingHalfWidth(int count) => Math.Max(2, count / 50);

    /// <summary>Centred moving average that shrinks its window at the ends instead of padding; NaNs are skipped.</summary>
    internal static double[] MovingAverage(IReadOnlyList<double> values, int halfWidth)
    {
        var result = new double[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            double sum = 0;
            var count = 0;
            for (var j = Math.Max(0, i - halfWidth); j <= Math.Min(values.Count - 1, i + halfWidth); j++)
            {
                if (double.IsFinite(values[j]))
                {
                    sum += values[j];
                    count++;
                }
            }

            result[i] = count == 0 ? double.NaN : sum / count;
        }

        return result;
    }

    private static double[] Pick(double[] values, bool[] keep) => values.Where((_, i) => keep[i]).ToArray();

    /// <summary>Major ticks at 1, 2 and 5 times each power of ten, minor ticks at the other integers.</summary>
    private static NumericManual LogTicks(double min, double max)
    {
        var ticks = new NumericManual();
        for (var decade = (int)Math.Floor(Math.Log10(min)) - 1; decade <= (int)Math.Ceiling(Math.Log10(max)); decade++)
        {
            for (var mantissa = 1; mantissa <= 9; mantissa++)
            {
                var value = mantissa * Math.Pow(10, decade);
                if (mantissa is 1 or 2 or 5)
                {
                    ticks.AddMajor(Math.Log10(value), value.ToString("G3", CultureInfo.InvariantCulture));
                }
                else
                {
                    ticks.AddMinor(Math.Log10(value));
                }
            }
        }

        return ticks;
    }
}
