using System.Globalization;
using System.Net;
using System.Text;
using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.IO;
using ScottPlot;

namespace HotDistance.Evaluator;

/// <summary>
/// The evaluation a person reads: scores.json with every metric, scores.png with per-class bars by model, and
/// report.html tying them together with the decision.
/// </summary>
public static class EvaluationReport
{
    public static string Write(
        string directory,
        string generationId,
        IReadOnlyList<ScoredModel> models,
        ModelScore? winner,
        string reason,
        IReadOnlyList<StoredCrop> heldOut)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(heldOut);
        Directory.CreateDirectory(directory);
        AtomicFile.WriteJson(Path.Combine(directory, "scores.json"), models.Select(m => new
        {
            m.Score.Variant,
            m.Score.Role,
            m.Score.Overall,
            Classes = m.Report.Classes.Select(c => new { c.ClassName, Kind = c.Kind.ToString(), c.IoU, c.Dice, c.Precision, c.Recall, c.F1, c.MeanHausdorffNm, c.Combined, c.Score }),
        }));

        var classes = models.SelectMany(m => m.Score.PerClass.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var chart = Path.Combine(directory, "scores.png");
        PlotScores(models, classes, chart);

        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<!doctype html><html><head><meta charset=\"utf-8\"><title>HotDistance {Encode(generationId)}</title>");
        html.Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th:first-child,td:first-child{text-align:left}.win{background:#e6ffe6}</style></head><body>");
        html.Append(CultureInfo.InvariantCulture, $"<h1>Evaluation of {Encode(generationId)}</h1><p><b>Decision:</b> {Encode(reason)}</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{heldOut.Count} held-out crops: {Encode(string.Join(", ", heldOut.Select(c => $"{c.CropId} ({c.Name})")))}</p>");
        html.Append("<table><tr><th>model</th><th>role</th><th>overall</th>");
        foreach (var name in classes)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{Encode(name)}</th>");
        }

        html.Append("</tr>");
        foreach (var model in models)
        {
            var isWinner = winner is not null && winner.Variant == model.Score.Variant && winner.Role == model.Score.Role;
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"{(isWinner ? "win" : string.Empty)}\"><td>{Encode(model.Score.Variant)}{(isWinner ? " (winner)" : string.Empty)}</td><td>{model.Score.Role}</td><td>{model.Score.Overall:F3}</td>");
            foreach (var name in classes)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td>{(model.Score.PerClass.TryGetValue(name, out var v) ? v.ToString("F3", CultureInfo.InvariantCulture) : "-")}</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table><p>Per class: IoU for semantic classes, sqrt(F1 x mean normalised Hausdorff) for instance classes (CellMap challenge).</p>");
        html.Append("<img src=\"scores.png\" alt=\"per-class scores by model\"></body></html>");
        var reportPath = Path.Combine(directory, "report.html");
        AtomicFile.Write(reportPath, stream => stream.Write(Encoding.UTF8.GetBytes(html.ToString())));
        return reportPath;
    }

    private static void PlotScores(IReadOnlyList<ScoredModel> models, IReadOnlyList<string> classes, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var groups = classes.Prepend("overall").ToList();
        var width = 0.8 / Math.Max(models.Count, 1);
        for (var m = 0; m < models.Count; m++)
        {
            var color = palette.GetColor(m);
            var bars = groups.Select((name, g) => new Bar
            {
                Position = g + ((m - ((models.Count - 1) / 2.0)) * width),
                Value = name == "overall" ? models[m].Score.Overall : models[m].Score.PerClass.GetValueOrDefault(name),
                Size = width * 0.9,
                FillColor = color,
            }).ToList();
            plot.Add.Bars(bars);
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"{models[m].Score.Variant} ({models[m].Score.Role})", FillColor = color });
        }

        plot.Axes.Bottom.SetTicks(groups.Select((_, g) => (double)g).ToArray(), groups.ToArray());
        plot.Axes.SetLimitsY(0, 1.05);
        plot.Axes.Left.Label.Text = "held-out score";
        plot.ShowLegend(Alignment.UpperRight);
        var file = Path.Combine(Path.GetDirectoryName(path)!, $".{Guid.NewGuid():N}.png");
        plot.SavePng(file, 800, 450);
        File.Move(file, path, overwrite: true);
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
