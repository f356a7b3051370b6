using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using HotDistance.Charts;
using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.IO;
using HotDistance.Core.Metrics;
using HotDistance.Learning.Checkpoints;

namespace HotDistance.Evaluator;

/// <summary>
/// The evaluation a person reads: scores.json with every metric; scores.png (per-class bars by model),
/// loss.png (training loss of each challenger) and slices-&lt;cropId&gt;.png (the middle slice of the first
/// held-out crops: raw, truth and every model's prediction); and report.html tying them together with the
/// decision. The HTML refers to the images by relative path, so the folder can be copied or served as is.
/// </summary>
public static class EvaluationReport
{
    /// <summary>How many held-out crops the report draws (the first ones, in held-out order).</summary>
    public const int ExampleCrops = 2;

    public const string ReportFile = "report.html";
    public const string ScoresFile = "scores.json";
    public const string ScoresChartFile = "scores.png";
    public const string LossChartFile = "loss.png";

    public static string SlicesFile(string cropId) => $"slices-{cropId}.png";

    public static string Write(
        string directory,
        string generationId,
        IReadOnlyList<ScoredModel> models,
        ModelScore? winner,
        string reason,
        IReadOnlyList<StoredCrop> heldOut,
        IReadOnlyList<CropSlice>? examples = null,
        PromotionDecision? decision = null,
        IReadOnlyList<GenerationScores>? history = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(heldOut);
        examples ??= [];
        Directory.CreateDirectory(directory);
        AtomicFile.WriteJson(Path.Combine(directory, ScoresFile), models.Select(m => new
        {
            m.Score.Variant,
            m.Score.Role,
            m.Score.Overall,
            Classes = m.Report.Classes.Select(c => new { c.ClassName, Kind = c.Kind.ToString(), c.IoU, c.Dice, c.Precision, c.Recall, c.F1, c.MeanHausdorffNm, c.Combined, c.Score }),
        }));

        var classes = models.SelectMany(m => m.Score.PerClass.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        WritePng(directory, ScoresChartFile, ScoreChart.Render(models, classes));

        var curves = LossCurves(models);
        if (curves.Count > 0)
        {
            WritePng(directory, LossChartFile, LossChart.Render(curves));
        }

        foreach (var example in examples)
        {
            WritePng(directory, SlicesFile(example.CropId), SliceFigure.Render(example, models, classes));
        }

        var hasHistory = history is not null && ScoreHistory.Write(directory, history);
        var html = Html(generationId, models, winner, reason, heldOut, examples, classes, curves, decision, hasHistory ? history! : []);
        var reportPath = Path.Combine(directory, ReportFile);
        AtomicFile.Write(reportPath, stream => stream.Write(Encoding.UTF8.GetBytes(html)));
        return reportPath;
    }

    private static void WritePng(string directory, string name, byte[] png) =>
        AtomicFile.Write(Path.Combine(directory, name), stream => stream.Write(png));

    /// <summary>The challengers' loss histories, as their checkpoints recorded them.</summary>
    private static List<LossCurve> LossCurves(IReadOnlyList<ScoredModel> models)
    {
        var curves = new List<LossCurve>();
        for (var m = 0; m < models.Count; m++)
        {
            if (models[m] is { Score.Role: ModelRoles.Challenger, LossHistory: { Count: > 0 } history })
            {
                curves.Add(new LossCurve(models[m].Score.Variant, history));
            }
        }

        return curves;
    }

    private static string Html(
        string generationId,
        IReadOnlyList<ScoredModel> models,
        ModelScore? winner,
        string reason,
        IReadOnlyList<StoredCrop> heldOut,
        IReadOnlyList<CropSlice> examples,
        IReadOnlyList<string> classes,
        IReadOnlyList<LossCurve> curves,
        PromotionDecision? decision,
        IReadOnlyList<GenerationScores> history)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>HotDistance evaluation {Encode(generationId)}</title>
            <style>{Style}</style></head><body>
            <h1>Evaluation of {Encode(generationId)}</h1>
            <p class="sub">{models.Count} models scored on {heldOut.Count} held-out crops &middot; written {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC</p>
            """);

        var verdict = winner is null
            ? "No promotion"
            : $"Promote {Encode(winner.Variant)} <span class=\"role\">{Encode(winner.Role)}</span>";
        html.Append(CultureInfo.InvariantCulture, $"""
            <div class="decision {(winner is null ? "keep" : "promote")}"><div class="verdict">{verdict}</div><p><b>Decision:</b> {Encode(reason)}</p></div>
            """);

        AppendComparisons(html, decision);
        AppendOverall(html, models, winner, classes);
        html.Append(CultureInfo.InvariantCulture, $"""
            <figure><img src="{ScoresChartFile}" alt="per-class held-out scores by model" width="800"><figcaption>Held-out score per class and overall, one colour per model (the same colours as the loss curves).</figcaption></figure>
            """);

        AppendHistory(html, history);
        AppendDetails(html, models, winner);
        AppendThresholds(html, models);
        AppendLoss(html, models, curves);
        AppendExamples(html, examples);
        AppendHeldOut(html, heldOut, examples);
        html.Append("""
            <footer><p><b>How to read the scores.</b> Semantic classes score by IoU; instance classes by sqrt(F1 &times; mean normalised Hausdorff),
            the CellMap challenge's combined score. Voxel counts and instance tallies are pooled over all held-out crops before the ratios are taken,
            and voxels whose truth is unknown are not counted. Overall is the geometric mean of the mean semantic IoU and the mean instance score.
            Mean Hausdorff (nm) is over matched instances only and is for information.</p></footer>
            </body></html>
            """);
        return html.ToString();
    }

    private static void AppendOverall(StringBuilder html, IReadOnlyList<ScoredModel> models, ModelScore? winner, IReadOnlyList<string> classes)
    {
        html.Append("<h2>Overall</h2><table class=\"overall\"><thead><tr><th>model</th><th>role</th><th>overall</th><th>semantic</th><th>instance</th>");
        foreach (var name in classes)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{Encode(name)}</th>");
        }

        html.Append("</tr></thead><tbody>");
        for (var m = 0; m < models.Count; m++)
        {
            var model = models[m];
            var isWinner = IsWinner(model, winner);
            html.Append(CultureInfo.InvariantCulture, $"<tr{(isWinner ? " class=\"win\"" : string.Empty)}><td>{Swatch(model)}{Encode(model.Score.Variant)}{(isWinner ? " <span class=\"badge\">winner</span>" : string.Empty)}</td><td>{Encode(model.Score.Role)}</td><td><b>{Number(model.Score.Overall)}</b></td><td>{Number(model.Report.SemanticScore)}</td><td>{Number(model.Report.InstanceScore)}</td>");
            foreach (var name in classes)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td>{(model.Score.PerClass.TryGetValue(name, out var v) ? Number(v) : "&ndash;")}</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void AppendComparisons(StringBuilder html, PromotionDecision? decision)
    {
        if (decision is null || decision.Comparisons.Count == 0)
        {
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"""
            <h2>Challengers against the champion</h2>
            <p class="sub">Difference of overall held-out score (challenger &minus; champion) with its {decision.ConfidenceLevel * 100:G3}% paired-bootstrap interval over crops ({decision.Resamples} resamples, seed {decision.Seed}). A challenger qualifies when the lower bound exceeds the margin {Number(decision.Margin)}.</p>
            <table class="overall"><thead><tr><th>challenger</th><th>overall</th><th>champion</th><th>difference</th><th>interval</th><th>qualifies</th></tr></thead><tbody>
            """);
        foreach (var c in decision.Comparisons)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(c.Variant)}</td><td>{Number(c.Overall)}</td><td>{Number(c.ChampionOverall)}</td><td>{Signed(c.Difference)}</td><td>[{Signed(c.IntervalLower)}, {Signed(c.IntervalUpper)}]</td><td>{(c.ClearsMargin ? "yes" : "no")}</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void AppendHistory(StringBuilder html, IReadOnlyList<GenerationScores> history)
    {
        if (history.Count == 0)
        {
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"""
            <h2>Score history</h2>
            <figure><img src="{ScoreHistory.ChartFile}" alt="held-out overall score of each variant by generation" width="900"><figcaption>Overall held-out score of every generation's challengers, {history.Count} generation(s) so far; the dashed line is the champion each was compared with, rings mark promotions. The numbers are in <a href="{ScoreHistory.JsonFile}">{ScoreHistory.JsonFile}</a>. Each generation was scored on the held-out crops of its time.</figcaption></figure>
            """);
    }

    private static void AppendThresholds(StringBuilder html, IReadOnlyList<ScoredModel> models)
    {
        if (models.All(m => m.Score.Thresholds is null))
        {
            return;
        }

        html.Append("<h2>Post-processing thresholds</h2><p class=\"sub\">Chosen per class on validation crops drawn from the training crops (never the held-out ones); &ldquo;default&rdquo; where none was tuned.</p>");
        html.Append("<table class=\"overall\"><thead><tr><th>model</th><th>class</th><th>one-hot probability</th><th>distance mask (t)</th><th>watershed seed (t)</th><th>validation score</th></tr></thead><tbody>");
        foreach (var model in models)
        {
            foreach (var (className, t) in (model.Score.Thresholds ?? new Dictionary<string, ClassThresholds>()).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(model.Score.Variant)} <span class=\"role\">{Encode(model.Score.Role)}</span></td><td>{Encode(className)}</td><td>{Number(t.ProbabilityThreshold, "G3")}</td><td>{Number(t.DistanceThreshold, "G3")}</td><td>{Number(t.SeedThreshold, "G3")}</td><td>{(t.Tuned ? Number(t.ValidationScore) : "default")}</td></tr>");
            }
        }

        html.Append("</tbody></table>");
    }

    private static void AppendDetails(StringBuilder html, IReadOnlyList<ScoredModel> models, ModelScore? winner)
    {
        html.Append("<h2>Per-class detail</h2>");
        for (var m = 0; m < models.Count; m++)
        {
            var model = models[m];
            html.Append(CultureInfo.InvariantCulture, $"""
                <h3>{Swatch(model)}{Encode(model.Score.Variant)} <span class="role">{Encode(model.Score.Role)}</span>{(IsWinner(model, winner) ? " <span class=\"badge\">winner</span>" : string.Empty)}</h3>
                <table class="detail"><thead><tr><th>class</th><th>kind</th><th>crops</th><th>IoU</th><th>Dice</th><th>precision</th><th>recall</th><th>F1</th><th>mean Hausdorff (nm)</th><th>combined</th><th>score</th></tr></thead><tbody>
                """);
            foreach (var c in model.Report.Classes)
            {
                // Precision has no value when nothing was predicted (0 of 0), however the metric's convention counts it.
                var precision = PredictedNothing(c) ? null : (double?)c.Precision;
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(c.ClassName)}</td><td>{(c.Kind == ClassKind.Instance ? "instance" : "semantic")}</td><td>{c.CropCount}</td><td>{Number(c.IoU)}</td><td>{Number(c.Dice)}</td><td>{Number(precision)}</td><td>{Number(c.Recall)}</td><td>{Number(c.F1)}</td><td>{Number(c.MeanHausdorffNm, "F1")}</td><td>{Number(c.Combined)}</td><td><b>{Number(c.Score)}</b></td></tr>");
            }

            if (model.Report.Classes.Count == 0)
            {
                html.Append("<tr><td colspan=\"11\">no class was scored</td></tr>");
            }

            html.Append("</tbody></table>");
            foreach (var c in model.Report.Classes.Where(PredictedNothing))
            {
                var threshold = model.Score.Thresholds?.GetValueOrDefault(c.ClassName) is { } t
                    ? string.Create(CultureInfo.InvariantCulture, $" at its post-processing thresholds (probability {t.ProbabilityThreshold:G3}, distance mask t {t.DistanceThreshold:G3}{(t.Tuned ? ", tuned on validation crops" : ", the defaults")})")
                    : string.Empty;
                html.Append(CultureInfo.InvariantCulture, $"<p class=\"sub nothing\">{Encode(model.Score.Variant)} predicted no {Encode(c.ClassName)} voxel on any of the {c.CropCount} held-out crop(s){threshold}, so its {Encode(c.ClassName)} scores are 0 and its precision is undefined. The model has not learned the class (too few steps or crops, or a loss that has not reached it yet); look at its loss curve and its example slices.</p>");
            }
        }
    }

    private static void AppendLoss(StringBuilder html, IReadOnlyList<ScoredModel> models, IReadOnlyList<LossCurve> curves)
    {
        html.Append("<h2>Training loss</h2>");
        if (curves.Count == 0)
        {
            html.Append("<p class=\"sub\">No challenger's checkpoint recorded a loss history.</p>");
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"""
            <figure><img src="{LossChartFile}" alt="training loss by step for each challenger" width="900"><figcaption>Training loss by step of each challenger, from its checkpoint (moving average; the raw per-step loss is drawn faintly). Variants optimise different losses, so compare the shapes of the curves, not their heights.</figcaption></figure>
            """);
        var missing = models.Where(m => m.Score.Role == ModelRoles.Challenger && curves.All(c => c.Variant != m.Score.Variant)).Select(m => m.Score.Variant).ToList();
        if (missing.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"sub\">No loss history found for: {Encode(string.Join(", ", missing))}.</p>");
        }
    }

    private static void AppendExamples(StringBuilder html, IReadOnlyList<CropSlice> examples)
    {
        if (examples.Count == 0)
        {
            return;
        }

        html.Append("<h2>Example slices</h2>");
        foreach (var example in examples)
        {
            html.Append(CultureInfo.InvariantCulture, $"""
                <figure><img src="{SlicesFile(example.CropId)}" alt="middle slice of held-out crop {Encode(example.CropName)}: raw, truth and predictions"><figcaption>Held-out crop <b>{Encode(example.CropName)}</b> ({Encode(example.CropId)}), middle slice z = {example.Z} of {example.Depth}: raw, truth and each model's post-processed prediction, one row per annotated class; instances have one colour each.</figcaption></figure>
                """);
        }
    }

    private static void AppendHeldOut(StringBuilder html, IReadOnlyList<StoredCrop> heldOut, IReadOnlyList<CropSlice> examples)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2>Held-out crops ({heldOut.Count})</h2>");
        html.Append("<table class=\"text\"><thead><tr><th>crop</th><th>name</th><th>shape (z, y, x)</th><th>voxel size (nm)</th><th>annotated classes</th></tr></thead><tbody>");
        foreach (var crop in heldOut)
        {
            var drawn = examples.Any(e => e.CropId == crop.CropId) ? " <span class=\"badge light\">drawn above</span>" : string.Empty;
            html.Append(CultureInfo.InvariantCulture, $"<tr><td><code>{Encode(crop.CropId)}</code>{drawn}</td><td>{Encode(crop.Name)}</td><td>{Encode(string.Join(" x ", crop.Shape))}</td><td>{Encode(string.Join(" x ", crop.VoxelSizeNm.Select(v => v.ToString("G4", CultureInfo.InvariantCulture))))}</td><td>{Encode(string.Join(", ", crop.Classes))}</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    private static bool PredictedNothing(ClassScore score) => score.Voxels.TruePositives + score.Voxels.FalsePositives == 0;

    private static bool IsWinner(ScoredModel model, ModelScore? winner) =>
        winner is not null && winner.Variant == model.Score.Variant && winner.Role == model.Score.Role;

    private static string Swatch(ScoredModel model)
    {
        var color = ReportColors.Model(model.Score.Variant, model.Score.Role);
        return $"<span class=\"swatch\" style=\"background:#{color.R:X2}{color.G:X2}{color.B:X2}\"></span>";
    }

    private static string Number(double? value, string format = "F3") =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "&ndash;";

    private static string Signed(double value) =>
        double.IsFinite(value) ? value.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture) : "&ndash;";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:2em auto;max-width:1200px;padding:0 1.5em;color:#222;line-height:1.4}
        h1{margin-bottom:.1em}h2{margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}h3{margin:1.2em 0 .4em}
        .sub{color:#666;margin-top:0}
        .decision{border-left:6px solid #999;background:#f4f4f4;padding:.7em 1.2em;margin:1.2em 0;border-radius:4px}
        .decision.promote{border-color:#2e9d4a;background:#eaf7ee}.decision.keep{border-color:#c98a10;background:#fdf5e4}
        .decision .verdict{font-size:1.35em;font-weight:600}.decision p{margin:.3em 0 0}
        table{border-collapse:collapse;margin:.5em 0;font-variant-numeric:tabular-nums}
        td,th{border:1px solid #ddd;padding:4px 10px;text-align:right}th{background:#f6f6f6;font-weight:600}
        th:first-child,td:first-child{text-align:left}table.overall td:nth-child(2),table.overall th:nth-child(2),table.text td,table.text th{text-align:left}tbody tr:nth-child(even){background:#fafafa}
        table.detail td:nth-child(2){text-align:left;color:#555}
        tr.win,tr.win:nth-child(even){background:#e6f6ea}
        .role{font-size:.8em;font-weight:normal;color:#666;border:1px solid #ccc;border-radius:3px;padding:0 4px;vertical-align:middle}
        .badge{font-size:.75em;background:#2e9d4a;color:#fff;border-radius:3px;padding:1px 5px;vertical-align:middle}.badge.light{background:#888}
        .swatch{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.45em;vertical-align:baseline}
        figure{margin:1em 0}img{max-width:100%;height:auto;border:1px solid #eee}figcaption{color:#555;font-size:.9em;max-width:60em;margin-top:.3em}
        footer{margin-top:2.5em;color:#555;font-size:.9em;border-top:1px solid #ddd}
        code{font-size:.95em}
        """;
}
