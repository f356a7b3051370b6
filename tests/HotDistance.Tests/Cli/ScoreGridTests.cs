using System.Text.Json.Nodes;
using HotDistance.Cli;
using HotDistance.Core.Zarr;

namespace HotDistance.Tests.Cli;

/// <summary>
/// A prediction whose OME-NGFF metadata puts it on another grid than the truth (another voxel size, or shifted) is
/// refused, naming both grids, where it used to be scored voxel by voxel as if aligned. The truth is the zarr-python
/// fixture's crop2 (er, 8 nm at (10, 18, 26) nm); the prediction is that crop's own arrays, so it would score 1.
/// </summary>
[Collection(HdConsoleCollectionDefinition.Name)]
public sealed class ScoreGridTests
{
    private static string Fixture => Path.Combine(AppContext.BaseDirectory, "Fixtures", "zarr", "cellmap", "jrc_tiny.zarr");

    [Theory]
    [InlineData("aligned", 8.0, 26.0, ExitCodes.Success)]
    [InlineData("shifted one voxel in x", 8.0, 34.0, ExitCodes.BadInput)]
    [InlineData("at 4 nm", 4.0, 26.0, ExitCodes.BadInput)]
    public async Task A_prediction_on_another_grid_is_refused_naming_both_grids(string what, double scale, double offsetX, int expected)
    {
        using var temp = new TempDirectory();
        var prediction = temp.Combine("pred.zarr");
        CopyFolder(CellMapLayout.CropPath(Fixture, "crop2"), prediction);
        var attributes = Path.Combine(prediction, "er", ".zattrs");
        var root = JsonNode.Parse(File.ReadAllText(attributes))!;
        var transforms = root["multiscales"]![0]!["datasets"]![0]!["coordinateTransformations"]!.AsArray();
        transforms.Single(t => (string)t!["type"]! == "scale")!["scale"] = new JsonArray(scale, scale, scale);
        transforms.Single(t => (string)t!["type"]! == "translation")!["translation"]![2] = offsetX;
        File.WriteAllText(attributes, root.ToJsonString());

        var (exitCode, printed) = await HdInProcess.RunAsync("score", "--truth", Fixture, "--crop", "crop2", "--pred", prediction);

        Assert.True(exitCode == expected, $"{what}: exit {exitCode}{Environment.NewLine}{printed}");
        if (expected != ExitCodes.Success)
        {
            var flat = string.Join(' ', printed.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("puts class 'er' on another grid", flat, StringComparison.Ordinal);
            Assert.Contains("voxel size 8x8x8 nm at offset [10, 18, 26] nm", flat.Replace("8 x 8 x 8", "8x8x8", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    private static void CopyFolder(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
