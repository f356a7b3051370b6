using System.Globalization;
using System.Text.Json.Nodes;
using HotDistance.Cli;
using HotDistance.Core.Crops;
using HotDistance.Core.IO;

namespace HotDistance.Tests.Cli;

/// <summary>
/// The model a site deploys is the model that was scored: after a promotion, hd predict with the champion and
/// hd score on a held-out crop give the score the evaluation recorded for that crop.
/// </summary>
[Collection(HdConsoleCollectionDefinition.Name)]
public class DeployedEqualsEvaluatedTests
{
    [Fact]
    public async Task Predicting_a_held_out_crop_with_the_champion_scores_what_the_evaluation_recorded()
    {
        using var temp = new TempDirectory();
        var workspace = temp.Combine("ws");
        var demo = await HdInProcess.RunAsync("demo", "--workspace", workspace, "--steps", "40", "--crops", "3", "--size", "24", "--timeout", "10");
        Assert.True(demo.ExitCode == ExitCodes.Success && demo.Output.Contains("promoted", StringComparison.Ordinal), demo.Output);

        var evaluation = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(workspace, "evaluations", "gen-0001", "evaluation.json")))!;
        var winner = evaluation["Winner"]!;
        var recorded = winner["PerClass"]!.AsObject().ToDictionary(p => p.Key, p => (double)p.Value!);
        var heldOut = evaluation["HeldOutCropIds"]!.AsArray().Select(id => (string)id!).ToList();
        var annotatedBy = heldOut.ToDictionary(
            id => id,
            id => AtomicFile.ReadJson<StoredCrop>(Path.Combine(workspace, "crops", id, "crop.json"))!.Classes.ToHashSet(StringComparer.Ordinal));

        var compared = new List<string>();
        foreach (var cropId in heldOut)
        {
            // A class's recorded score pools its held-out crops; compare where this crop is the only one.
            var alone = recorded.Keys.Where(c => annotatedBy[cropId].Contains(c) && annotatedBy.Values.Count(a => a.Contains(c)) == 1).ToList();
            if (alone.Count == 0)
            {
                continue;
            }

            var prediction = temp.Combine($"{cropId}-pred.zarr");
            var predicted = await HdInProcess.RunAsync("predict", "--workspace", workspace, "--model", "champion", "--input", Path.Combine(workspace, "crops", cropId, "crop.zarr"), "--output", prediction);
            Assert.True(predicted.ExitCode == ExitCodes.Success, predicted.Output);
            Assert.Contains("thresholds and instance classes stored with the model", predicted.Output, StringComparison.Ordinal);

            var json = temp.Combine($"{cropId}-score.json");
            var scored = await HdInProcess.RunAsync("score", "--truth", Path.Combine(workspace, "crops", cropId, "crop.zarr"), "--pred", prediction, "--json", json);
            Assert.True(scored.ExitCode == ExitCodes.Success, scored.Output);
            var classes = JsonNode.Parse(await File.ReadAllTextAsync(json))!["classes"]!.AsArray().ToDictionary(c => (string)c!["class"]!);
            foreach (var className in alone)
            {
                var entry = classes[className]!;
                var score = (string)entry["kind"]! == "instance" ? (double)entry["combined"]! : (double)entry["iou"]!;
                Assert.True(
                    Math.Abs(score - recorded[className]) <= 1e-6,
                    string.Create(CultureInfo.InvariantCulture, $"{cropId} {className}: hd score {score:R}, evaluation {recorded[className]:R}"));
                compared.Add(className);
            }
        }

        Assert.NotEmpty(compared);
        Assert.Contains(compared, c => recorded[c] > 0.05);
    }
}
