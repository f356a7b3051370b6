using System.Net;
using HotDistance.Charts;
using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.IO;
using HotDistance.Core.Metrics;
using HotDistance.Evaluator;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Model;

namespace HotDistance.Tests.Evaluator;

public class EvaluationReportTests
{
    private const int Size = 24;
    private const string CropId = "c0ffee1234567";
    private const string CropName = "synthetic-03";
    private const string Reason = "one-hot (0.612) beats the champion (0.400) by 0.212 > margin 0.010 & <nothing> else";

    [Fact]
    public void Writes_loss_slice_and_score_pictures_and_an_html_page_that_shows_them_all()
    {
        using var temp = new TempDirectory();
        var models = new[]
        {
            Model("one-hot", ModelRoles.Challenger, predictsEverything: false, [0.9, 0.7, 0.75, 0.5, 0.45, 0.3, 0.32, 0.2, 0.18, 0.12]),
            Model("hot-distance", ModelRoles.Champion, predictsEverything: true),
        };
        var output = temp.Combine("evaluations", "gen-0007");

        var reportPath = EvaluationReport.Write(output, "gen-0007", models, models[0].Score, Reason, [Stored(CropId, CropName), Stored("c99", "other")], [Slice()]);

        Assert.Equal(Path.Combine(output, "report.html"), reportPath);
        ReportImages.AssertPicture(Path.Combine(output, "scores.png"));
        ReportImages.AssertPicture(Path.Combine(output, "loss.png"));
        var (width, height) = ReportImages.AssertPicture(Path.Combine(output, $"slices-{CropId}.png"));
        // raw, truth and two models side by side, each enlarged from 24 voxels to at least 192 px.
        Assert.True(width >= 4 * 192, $"slice figure is only {width} px wide");
        Assert.True(height >= 2 * 192, $"slice figure is only {height} px high for two class rows");
        Assert.False(File.Exists(Path.Combine(output, "slices-c99.png")));

        var html = File.ReadAllText(reportPath);
        Assert.Contains("src=\"scores.png\"", html, StringComparison.Ordinal);
        Assert.Contains("src=\"loss.png\"", html, StringComparison.Ordinal);
        Assert.Contains($"src=\"slices-{CropId}.png\"", html, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(Reason), html, StringComparison.Ordinal);
        Assert.DoesNotContain("<nothing>", html, StringComparison.Ordinal);
        Assert.Contains("Promote one-hot", html, StringComparison.Ordinal);
        foreach (var text in new[] { "one-hot", "hot-distance", "er", "mito", CropId, "c99", CropName, "mean Hausdorff (nm)", "precision", "recall" })
        {
            Assert.Contains(text, html, StringComparison.Ordinal);
        }

        // The per-class tables carry the report's own numbers: mito's pooled F1 and mean Hausdorff.
        Assert.Contains("<td>0.667</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>12.5</td>", html, StringComparison.Ordinal);
        // The decision comes before any table.
        Assert.True(html.IndexOf("Decision:", StringComparison.Ordinal) < html.IndexOf("<table", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_loss_history_or_examples_the_page_says_so_and_links_no_missing_picture()
    {
        using var temp = new TempDirectory();
        var models = new[] { Model("distance", ModelRoles.Challenger, predictsEverything: false) };
        var output = temp.Combine("out");

        var reportPath = EvaluationReport.Write(output, "gen-0001", models, null, "best challenger distance does not beat the champion", [Stored(CropId, CropName)]);

        Assert.False(File.Exists(Path.Combine(output, "loss.png")));
        var html = File.ReadAllText(reportPath);
        Assert.DoesNotContain("loss.png", html, StringComparison.Ordinal);
        Assert.DoesNotContain("slices-", html, StringComparison.Ordinal);
        Assert.Contains("No promotion", html, StringComparison.Ordinal);
        Assert.Contains("checkpoint recorded a loss history", html, StringComparison.Ordinal);
        ReportImages.AssertPicture(Path.Combine(output, "scores.png"));
    }

    [Fact]
    public void Different_predictions_give_different_prediction_panels()
    {
        using var temp = new TempDirectory();
        var empty = Model("a", ModelRoles.Challenger, predictsEverything: false);
        var full = Model("b", ModelRoles.Challenger, predictsEverything: true);

        EvaluationReport.Write(temp.Combine("one"), "g", [empty, empty], null, "r", [], [Slice()]);
        EvaluationReport.Write(temp.Combine("two"), "g", [empty, full], null, "r", [], [Slice()]);

        using var same = SkiaSharp.SKBitmap.Decode(temp.Combine("one", $"slices-{CropId}.png"));
        using var different = SkiaSharp.SKBitmap.Decode(temp.Combine("two", $"slices-{CropId}.png"));
        Assert.Equal(same.Width, different.Width);
        var width = same.Width;
        var changedColumns = Enumerable.Range(0, width)
            .Where(x => Enumerable.Range(0, same.Height).Any(y => same.GetPixel(x, y) != different.GetPixel(x, y)))
            .ToList();
        // Only the last column (model b's panels, header and captions) changes; raw, truth and model a stay put.
        Assert.NotEmpty(changedColumns);
        Assert.True(changedColumns.Min() > width * 3 / 4 - 20, $"pixels changed from x = {changedColumns.Min()} of {width}");
    }

    [Fact]
    public void A_variant_has_one_colour_in_every_chart_and_on_the_page_and_the_champion_a_paler_one()
    {
        using var temp = new TempDirectory();
        var history = new[] { 0.9, 0.7, 0.5, 0.4, 0.3 };
        var models = new[] { Model(Variants.Distance, ModelRoles.Challenger, false, history), Model(Variants.HotDistance, ModelRoles.Champion, true, history) };

        EvaluationReport.Write(temp.Path, "g", models, null, "r", [], []);

        var distance = VariantColors.Of(Variants.Distance);
        var champion = ReportColors.Model(Variants.HotDistance, ModelRoles.Champion);
        Assert.NotEqual(VariantColors.Of(Variants.HotDistance), champion);
        Assert.Equal(3, Variants.All.Select(VariantColors.Of).Distinct().Count());
        foreach (var chart in new[] { "scores.png", "loss.png" })
        {
            using var bitmap = SkiaSharp.SKBitmap.Decode(temp.Combine(chart));
            var pixels = bitmap.Pixels.Select(p => (p.Red, p.Green, p.Blue)).ToHashSet();
            Assert.Contains((distance.R, distance.G, distance.B), pixels);
        }

        var html = File.ReadAllText(temp.Combine("report.html"));
        Assert.Contains($"background:#{distance.R:X2}{distance.G:X2}{distance.B:X2}", html, StringComparison.Ordinal);
        Assert.Contains($"background:#{champion.R:X2}{champion.G:X2}{champion.B:X2}", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_class_a_model_predicted_nowhere_is_explained_and_its_precision_is_a_dash()
    {
        using var temp = new TempDirectory();
        EvaluationReport.Write(temp.Path, "g", [Model(Variants.Distance, ModelRoles.Challenger, false, predictsEr: false)], null, "r", [], []);

        var html = File.ReadAllText(temp.Combine("report.html"));

        Assert.Contains("distance predicted no er voxel on any of the 1 held-out crop(s)", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>er</td><td>semantic</td><td>1</td><td>0.000</td><td>0.000</td><td>&ndash;</td><td>0.000</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("predicted no mito", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Example_slices_carry_a_scale_bar_in_the_raw_panel_when_the_voxel_size_is_known()
    {
        using var temp = new TempDirectory();
        var model = Model("a", ModelRoles.Challenger, predictsEverything: false);

        EvaluationReport.Write(temp.Combine("without"), "g", [model], null, "r", [], [Slice()]);
        EvaluationReport.Write(temp.Combine("with"), "g", [model], null, "r", [], [Slice() with { PixelNm = 8 }]);

        using var without = SkiaSharp.SKBitmap.Decode(temp.Combine("without", $"slices-{CropId}.png"));
        using var with = SkiaSharp.SKBitmap.Decode(temp.Combine("with", $"slices-{CropId}.png"));
        var changedColumns = Enumerable.Range(0, with.Width)
            .Where(x => Enumerable.Range(0, with.Height).Any(y => with.GetPixel(x, y) != without.GetPixel(x, y)))
            .ToList();

        // 24 voxels of 8 nm: a 50 nm bar, drawn in the raw panel (the first of three columns) and nowhere else.
        Assert.NotEmpty(changedColumns);
        Assert.True(changedColumns.Max() < with.Width / 3, $"pixels changed up to x = {changedColumns.Max()} of {with.Width}");
    }

    private static ScoredModel Model(string variant, string role, bool predictsEverything, IReadOnlyList<double>? lossHistory = null, bool predictsEr = true)
    {
        var er = new ClassScore("er", ClassKind.Semantic, 1, predictsEr ? new ConfusionCounts(30, 10, 20, 500) : new ConfusionCounts(0, 0, 50, 510), null);
        var mito = new ClassScore("mito", ClassKind.Instance, 1, new ConfusionCounts(50, 5, 5, 500), new InstanceCounts(2, 1, 1, 3.0, 4, 25.0));
        var crops = new[]
        {
            new CropClassScore(CropName, "er", ClassKind.Semantic, er.Voxels, null),
            new CropClassScore(CropName, "mito", ClassKind.Instance, mito.Voxels, new InstanceEvaluation(3, 3, [], 96, mito.Instances!.Value)),
        };
        var report = new ScoreReport([er, mito], crops);
        var perClass = report.Classes.ToDictionary(c => c.ClassName, c => c.Score, StringComparer.Ordinal);
        var plane = Size * Size;
        var mask = new byte[plane];
        if (predictsEverything)
        {
            Array.Fill(mask, LabelValues.Present);
        }

        var ids = mask.Select(v => (uint)v).ToArray();
        var example = new PredictedSlice(CropName, new Dictionary<string, LabelSlice>(StringComparer.Ordinal)
        {
            ["er"] = new(mask),
            ["mito"] = new(mask, ids),
        });
        return new ScoredModel(new ModelScore(variant, role, CheckpointReferences.Trained("gen-0007", variant), "sha-" + variant, report.Overall, perClass), report, [example], lossHistory);
    }

    /// <summary>A 24x24 slice: a raw gradient with a bright disc, two mito instances and a strip of unknown er.</summary>
    private static CropSlice Slice()
    {
        var plane = Size * Size;
        var raw = new float[plane];
        var er = new byte[plane];
        var mito = new byte[plane];
        var ids = new uint[plane];
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                var i = (y * Size) + x;
                raw[i] = (0.3f + (0.02f * x)) + ((x - 12) * (x - 12) + (y - 12) * (y - 12) < 30 ? 0.3f : 0f);
                er[i] = y >= 20 ? LabelValues.Unknown : x == y ? LabelValues.Present : LabelValues.Absent;
                ids[i] = x < 8 && y < 8 ? 1u : x > 14 && y > 14 && y < 20 ? 2u : 0u;
                mito[i] = ids[i] > 0 ? LabelValues.Present : LabelValues.Absent;
            }
        }

        return new CropSlice(CropId, CropName, 12, 24, Size, Size, raw, new Dictionary<string, LabelSlice>(StringComparer.Ordinal)
        {
            ["er"] = new(er),
            ["mito"] = new(mito, ids),
        });
    }

    private static StoredCrop Stored(string cropId, string name) =>
        new(cropId, "hash-" + cropId, name, CropSplits.HeldOut, ["er", "mito"], [24, 24, 24], [8, 8, 8], "/nowhere", DateTimeOffset.UnixEpoch);
}
