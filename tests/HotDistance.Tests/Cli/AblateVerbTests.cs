using System.Globalization;
using System.Text.RegularExpressions;
using HotDistance.Ablation;
using HotDistance.Cli;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;

namespace HotDistance.Tests.Cli;

[Collection(HdConsoleCollectionDefinition.Name)]
public partial class AblateVerbTests
{
    [Fact]
    public async Task Help_shows_examples_and_exit_codes()
    {
        var (exitCode, printed) = await HdInProcess.RunAsync("ablate", "--help");

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Contains("Examples:", printed, StringComparison.Ordinal);
        Assert.Contains("hd ablate --preset readme", printed, StringComparison.Ordinal);
        Assert.Contains("130 stopped (rerun to resume)", printed, StringComparison.Ordinal);
        Assert.Contains("--preset", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Neither_datasets_nor_a_preset_or_an_unknown_preset_or_a_bad_grid_is_bad_input()
    {
        using var temp = new TempDirectory();
        var (none, nonePrinted) = await HdInProcess.RunAsync("ablate", "--out", temp.Combine("a"));
        var (unknown, unknownPrinted) = await HdInProcess.RunAsync("ablate", "--preset", "huge", "--out", temp.Combine("b"));
        var config = temp.Combine("grid.json");
        await File.WriteAllTextAsync(config, """{ "ablation": { "seeds": [1] } }""");
        var (badGrid, badGridPrinted) = await HdInProcess.RunAsync("ablate", "--preset", "smoke", "--config", config, "--out", temp.Combine("c"));

        Assert.True(none == ExitCodes.BadInput, nonePrinted);
        Assert.Contains("--preset", nonePrinted, StringComparison.Ordinal);
        Assert.True(unknown == ExitCodes.BadInput, unknownPrinted);
        Assert.Contains("readme, smoke", unknownPrinted, StringComparison.Ordinal);
        Assert.True(badGrid == ExitCodes.BadInput, badGridPrinted);
        Assert.Contains("ablation:seeds", badGridPrinted, StringComparison.Ordinal);
        Assert.Contains(config, badGridPrinted, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("c", "cells")));

        var (noBroker, noBrokerPrinted) = await HdInProcess.RunAsync("ablate", "--preset", "smoke", "--distribute", "--workspace", temp.Combine("w"));
        var (badName, badNamePrinted) = await HdInProcess.RunAsync("ablate", "--preset", "smoke", "--name", "../up", "--workspace", temp.Combine("w"));

        Assert.True(noBroker == ExitCodes.BadInput, noBrokerPrinted);
        Assert.Contains("--distribute needs the pipeline's broker", noBrokerPrinted, StringComparison.Ordinal);
        Assert.True(badName == ExitCodes.BadInput, badNamePrinted);
        Assert.Contains("--name ../up", badNamePrinted, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("w", "ablations")));
    }

    [Fact]
    public async Task A_grid_from_the_configuration_on_datasets_writes_json_md_and_html_that_agree_and_a_rerun_trains_nothing()
    {
        using var temp = new TempDirectory();
        var datasets = Enumerable.Range(1, 4).Select(i => WriteDataset(temp, $"cells{i}", seed: 60 + i)).ToArray();
        var config = temp.Combine("hd.json");
        await File.WriteAllTextAsync(config, """
            { "ablation": { "variants": ["one-hot", "distance"], "densities": ["full", "classes=1"], "seeds": [1, 2, 3],
                            "training": { "steps": 2, "checkpointEvery": 2, "patchSize": 8, "batchSize": 1 }, "bootstrapResamples": 200, "heldOutFraction": 0.5 } }
            """);
        var output = temp.Combine("ablation");
        string[] command = ["ablate", .. datasets, "--config", config, "--out", output, "--device", "cpu"];

        var (exitCode, printed) = await HdInProcess.RunAsync(command);

        Assert.True(exitCode == ExitCodes.Success, printed);
        Assert.Contains("12 cell(s) trained, 0 reused", printed, StringComparison.Ordinal);
        Assert.Matches(@"cell 12/12 done: distance · classes=1 · seed 3: overall \d\.\d{3}", printed);
        foreach (var file in new[] { AblationReport.JsonFile, AblationReport.MarkdownFile, AblationReport.HtmlFile, AblationReport.DensityChartFile })
        {
            Assert.True(new FileInfo(Path.Combine(output, file)).Length > 0, file);
        }

        Assert.False(File.Exists(Path.Combine(output, AblationReport.LambdaChartFile)));
        var document = AblationReport.Read(output)!;
        Assert.Equal(12, document.Cells.Count);
        Assert.Equal(4, document.Figures.Rows.Count);
        var markdown = await File.ReadAllTextAsync(Path.Combine(output, AblationReport.MarkdownFile));
        var html = await File.ReadAllTextAsync(Path.Combine(output, AblationReport.HtmlFile));
        foreach (var row in document.Figures.Rows)
        {
            var overall = row.Score(AblationFigures.Overall)!;
            var line = Assert.Single(markdown.Split('\n'), l => l.StartsWith($"| {row.Density} | {row.Arm} |", StringComparison.Ordinal));
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            Assert.Equal($"{AblationReport.Number(overall.Mean)} ± {AblationReport.Number(overall.SeedSpread)}", cells[3]);
            Assert.Equal(AblationReport.Difference(overall.VersusOneHot), cells[4]);
            Assert.Equal(AblationReport.Difference(overall.VersusDistance), cells[5]);
            // The mean is the mean of the cells' own scores, and the table's interval is the json's.
            var seeds = document.Cells.Where(c => c.Density == row.Density && c.Variant == row.Variant).Select(c => c.Overall).ToList();
            Assert.Equal(3, seeds.Count);
            Assert.Equal(seeds.Average(), overall.Mean, 12);
            Assert.Equal(row.Arm == "one-hot", overall.VersusOneHot is null);
            if (overall.VersusOneHot is { } difference)
            {
                Assert.InRange(difference.Estimate, difference.Lower - 1e-12, difference.Upper + 1e-12);
            }
        }

        foreach (var line in document.Reading)
        {
            Assert.Contains(line, markdown, StringComparison.Ordinal);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(line), html, StringComparison.Ordinal);
        }

        Assert.Equal(12, ImageSources().Matches(html).Count(m => m.Groups[1].Value.EndsWith("/loss.png", StringComparison.Ordinal)));
        Assert.All(ImageSources().Matches(html), m => Assert.True(File.Exists(Path.Combine(output, m.Groups[1].Value)), m.Groups[1].Value));

        var (again, printedAgain) = await HdInProcess.RunAsync(command);

        Assert.True(again == ExitCodes.Success, printedAgain);
        Assert.Contains("0 cell(s) trained, 12 reused", printedAgain, StringComparison.Ordinal);
        Assert.Equal(
            document.Figures.Rows.Select(r => r.Score(AblationFigures.Overall)!.VersusDistance?.Lower),
            AblationReport.Read(output)!.Figures.Rows.Select(r => r.Score(AblationFigures.Overall)!.VersusDistance?.Lower));
    }

    private static string WriteDataset(TempDirectory temp, string name, int seed)
    {
        var path = temp.Combine($"{name}.zarr");
        var spec = new SyntheticCropSpec(name, seed, new Shape3(16, 16, 16), VoxelSize.Isotropic(8), SyntheticCropGenerator.Classes);
        CellMapCropWriter.Write(SyntheticCropGenerator.Generate(spec), path, "crop1");
        return path;
    }

    [GeneratedRegex("<img src=\"([^\"]+)\"")]
    private static partial Regex ImageSources();
}
