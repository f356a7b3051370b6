using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Serialization;
using HotDistance.Charts;
using HotDistance.Core.IO;

namespace HotDistance.Ablation;

/// <summary>
/// Writes an ablation's outputs into its folder: ablation.json (every figure, every cell), ablation.md (the table and
/// the reading), ablation.html with its PNGs (score against density, score against lambda, each cell's loss curve).
/// The markdown and the page show the same numbers as the JSON, rounded to three decimals.
/// </summary>
public static class AblationReport
{
    public const string JsonFile = "ablation.json";
    public const string MarkdownFile = "ablation.md";
    public const string HtmlFile = "ablation.html";
    public const string DensityChartFile = "score-by-density.png";
    public const string LambdaChartFile = "score-by-lambda.png";
    public const string CellLossFile = "loss.png";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static void Write(string folder, AblationSettings settings, AblationOutcome outcome, AblationFigures figures, AblationRunContext context)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(context);
        var reading = AblationReading.Write(figures);
        foreach (var (cell, result) in outcome.Cells.Zip(outcome.Results))
        {
            AtomicFile.Write(Path.Combine(AblationRunner.CellDirectory(folder, cell), CellLossFile), LossChart.Render([new LossCurve(result.Variant, result.LossHistory)]));
        }

        AtomicFile.Write(Path.Combine(folder, DensityChartFile), AblationCharts.ScoreByDensity(figures, AblationFigures.Overall));
        var lambdaChart = AblationCharts.ScoreByLambda(figures, AblationFigures.Overall);
        if (lambdaChart is not null)
        {
            AtomicFile.Write(Path.Combine(folder, LambdaChartFile), lambdaChart);
        }

        var document = new AblationDocument(
            context,
            settings with { Output = null },
            outcome.Results.Select(r => new CellSummary(r.Key, r.Variant, r.Lambda, r.Density, r.Seed, r.Overall, r.Semantic, r.Instance, r.PerClass, r.LossHistory.Count > 0 ? r.LossHistory[^1] : null, r.Timings)).ToList(),
            figures,
            reading);
        AtomicFile.Write(Path.Combine(folder, JsonFile), JsonSerializer.SerializeToUtf8Bytes(document, JsonOptions));
        AtomicFile.Write(Path.Combine(folder, MarkdownFile), Encoding.UTF8.GetBytes(Markdown(settings, outcome, figures, reading, context)));
        AtomicFile.Write(Path.Combine(folder, HtmlFile), Encoding.UTF8.GetBytes(Html(settings, outcome, figures, reading, context, lambdaChart is not null)));
    }

    /// <summary>The json document, as <see cref="JsonFile"/> holds it (camelCase names).</summary>
    public static AblationDocument? Read(string folder) =>
        JsonSerializer.Deserialize<AblationDocument>(File.ReadAllBytes(Path.Combine(folder, JsonFile)), JsonOptions);

    /// <summary>One number as the table shows it.</summary>
    public static string Number(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>A difference and its interval as the table shows it: <c>+0.012 [−0.020, +0.045]</c>, bold where the interval excludes 0.</summary>
    public static string Difference(Interval? interval) =>
        interval is null
            ? "—"
            : $"{(interval.Positive || interval.Negative ? "**" : string.Empty)}{AblationReading.Signed(interval.Estimate)}{(interval.Positive || interval.Negative ? "**" : string.Empty)} [{AblationReading.Signed(interval.Lower)}, {AblationReading.Signed(interval.Upper)}]";

    internal static string Markdown(AblationSettings settings, AblationOutcome outcome, AblationFigures figures, IReadOnlyList<string> reading, AblationRunContext context)
    {
        var text = new StringBuilder();
        text.AppendLine("# Ablation: one-hot, distance and hot-distance by annotation density");
        text.AppendLine();
        AppendSettings(text, settings, outcome, figures, context);
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Mean over seeds ± their standard deviation; Δ is the mean paired difference with its {Percent(figures.ConfidenceLevel)} bootstrap interval over held-out crops and seeds ({figures.Resamples} resamples); **bold** where the interval excludes 0.");
        text.AppendLine();
        text.AppendLine("| density | arm | overall | Δ overall vs one-hot | Δ overall vs distance | semantic | instance |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var row in figures.Rows)
        {
            var overall = row.Score(AblationFigures.Overall)!;
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Density} | {row.Arm} | {Number(overall.Mean)} ± {Number(overall.SeedSpread)} | {Difference(overall.VersusOneHot)} | {Difference(overall.VersusDistance)} | {Mean(row.Score(AblationFigures.Semantic))} | {Mean(row.Score(AblationFigures.Instance))} |");
        }

        text.AppendLine();
        text.AppendLine("Reading (generated from the figures above):");
        text.AppendLine();
        foreach (var line in reading)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
        }

        return text.ToString();
    }

    private static void AppendSettings(StringBuilder text, AblationSettings settings, AblationOutcome outcome, AblationFigures figures, AblationRunContext context)
    {
        var wall = outcome.Results.Sum(r => r.Timings.WallSeconds);
        var overhead = outcome.Results.Sum(r => r.Timings.WallSeconds * r.Timings.OverheadFraction);
        text.AppendLine(CultureInfo.InvariantCulture, $"- Run: `{context.Command}`, {context.Started:yyyy-MM-dd HH:mm} to {context.Finished:HH:mm} UTC ({Minutes(context.Finished - context.Started)}), on {context.Machine}.");
        if (context.Load is { } load)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- Machine load during the run (1-minute load average, sampled each cell): {load}.");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"- Data: {context.Data}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Grid: {figures.Arms.Count} arms ({string.Join(", ", figures.Arms)}) × {figures.Densities.Count} densities ({string.Join(", ", figures.Densities)}) × {settings.Seeds.Count} seeds ({string.Join(", ", settings.Seeds)}) = {outcome.Cells.Count} cells; {outcome.Trained.Count} trained in this run, {outcome.Cells.Count - outcome.Trained.Count} reused.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Each cell: {settings.Training.Steps} steps, batch {settings.Training.BatchSize} of {settings.Training.PatchSize}³ patches, learning rate {settings.Training.LearningRate.ToString("G3", CultureInfo.InvariantCulture)}, {settings.TorchThreads} libtorch thread(s); thresholds {(settings.TuneThresholds ? "tuned on the cell's training crops" : "at their defaults")}; thinning seed {settings.ThinningSeed}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Cells' wall time {Minutes(TimeSpan.FromSeconds(wall))} in all, of which {Percent(wall > 0 ? overhead / wall : 0)} outside the training steps (thinning, targets, scoring).");
    }

    private static string Html(AblationSettings settings, AblationOutcome outcome, AblationFigures figures, IReadOnlyList<string> reading, AblationRunContext context, bool hasLambdaChart)
    {
        var html = new StringBuilder();
        html.Append("""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>HotDistance ablation</title>
            <style>body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
            table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}
            td:nth-child(-n+2){text-align:left}.sig{font-weight:bold}figure{margin:1em 0}figcaption{color:#555;font-size:90%}
            .curves img{width:240px;margin:2px}</style></head><body>
            <h1>Ablation: one-hot, distance and hot-distance by annotation density</h1>
            """);
        html.Append("<ul>");
        var settingsText = new StringBuilder();
        AppendSettings(settingsText, settings, outcome, figures, context);
        foreach (var line in settingsText.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // The markdown's `code` as the page's <code>.
            html.Append(CultureInfo.InvariantCulture, $"<li>{Regex.Replace(Encode(line.TrimStart('-', ' ').TrimEnd('\r')), "`([^`]*)`", "<code>$1</code>")}</li>");
        }

        html.Append("</ul><h2>Reading</h2><ul>");
        foreach (var line in reading)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li>{Encode(line)}</li>");
        }

        html.Append(CultureInfo.InvariantCulture, $"</ul><figure><img src=\"{DensityChartFile}\" alt=\"overall score against density\" width=\"1000\"><figcaption>Overall held-out score by density: mean over seeds, band = {Percent(figures.ConfidenceLevel)} bootstrap interval of the mean.</figcaption></figure>");
        if (hasLambdaChart)
        {
            html.Append(CultureInfo.InvariantCulture, $"<figure><img src=\"{LambdaChartFile}\" alt=\"hot-distance score against lambda\" width=\"1000\"><figcaption>Hot-distance's overall score against lambda at each density, beside one-hot (dashed) and distance (dotted).</figcaption></figure>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<h2>Scores</h2><p>Mean over seeds ± standard deviation; Δ with its {Percent(figures.ConfidenceLevel)} paired bootstrap interval; bold where it excludes 0.</p>");
        html.Append("<table><tr><th>density</th><th>arm</th>");
        foreach (var score in figures.Scores)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{Encode(score)}</th><th>Δ vs one-hot</th><th>Δ vs distance</th>");
        }

        html.Append("</tr>");
        foreach (var row in figures.Rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(row.Density)}</td><td>{Encode(row.Arm)}</td>");
            foreach (var score in figures.Scores)
            {
                var figure = row.Score(score);
                html.Append(CultureInfo.InvariantCulture, $"<td>{(figure is null ? "—" : $"{Number(figure.Mean)} ± {Number(figure.SeedSpread)}")}</td><td>{HtmlDifference(figure?.VersusOneHot)}</td><td>{HtmlDifference(figure?.VersusDistance)}</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table><h2>Training curves</h2><p>Each cell's loss by step (one picture per cell: arm, density, seed).</p>");
        foreach (var density in figures.Densities)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h3>{Encode(density)}</h3><table class=\"curves\">");
            foreach (var group in outcome.Cells.Where(c => c.Density.Name == density).GroupBy(c => c.Arm.Label))
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(group.Key)}</td><td>");
                foreach (var cell in group)
                {
                    var path = $"{AblationRunner.CellsDirectory}/{cell.Key}/{CellLossFile}";
                    html.Append(CultureInfo.InvariantCulture, $"<a href=\"{Encode(path)}\"><img src=\"{Encode(path)}\" alt=\"{Encode(cell.Label)}\" title=\"{Encode(cell.Label)}\"></a>");
                }

                html.Append("</td></tr>");
            }

            html.Append("</table>");
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static string HtmlDifference(Interval? interval) =>
        interval is null
            ? "—"
            : $"<span{(interval.Positive || interval.Negative ? " class=\"sig\"" : string.Empty)}>{AblationReading.Signed(interval.Estimate)}</span> [{AblationReading.Signed(interval.Lower)}, {AblationReading.Signed(interval.Upper)}]";

    private static string Mean(ScoreFigures? figure) => figure is null ? "—" : $"{Number(figure.Mean)} ± {Number(figure.SeedSpread)}";

    private static string Minutes(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds:00} s");

    private static string Percent(double fraction) => (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}

/// <summary>How the ablation was run, for its report: the command, the machine, when, the load beside it, the data.</summary>
public sealed record AblationRunContext(string Command, string Machine, DateTimeOffset Started, DateTimeOffset Finished, string? Load, string Data);

/// <summary>A cell as ablation.json lists it.</summary>
public sealed record CellSummary(string Key, string Variant, double? Lambda, string Density, int Seed, double Overall, double? Semantic, double? Instance, IReadOnlyDictionary<string, double> PerClass, double? FinalLoss, CellTimings Timings);

/// <summary>ablation.json.</summary>
public sealed record AblationDocument(AblationRunContext Run, AblationSettings Settings, IReadOnlyList<CellSummary> Cells, AblationFigures Figures, IReadOnlyList<string> Reading);
