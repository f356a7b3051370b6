using System.Text.Json.Nodes;
using HotDistance.Cli;
using HotDistance.Core.Crops;
using HotDistance.Core.Zarr;
using HotDistance.Tests.SiteAgent;

namespace HotDistance.Tests.Cli;

/// <summary>
/// Every path form a person types for a crop, in every verb that reads one: the crop group path copied from a viewer
/// (<c>&lt;dataset&gt;.zarr/recon-1/labels/groundtruth/crop2</c>), the dataset with --crop, and the dataset alone
/// (every crop for ingest and train, the first for the others). The dataset is the zarr-python fixture, whose two
/// crops differ (crop1: mito and nuc at 4 nm; crop2: er at 8 nm), so a verb that read the wrong crop shows it.
/// </summary>
[Collection(HdConsoleCollectionDefinition.Name)]
public sealed class CropPathFormsTests
{
    private static string Fixture => Path.Combine(AppContext.BaseDirectory, "Fixtures", "zarr", "cellmap", "jrc_tiny.zarr");

    private static string CropGroup(string dataset, string crop) => CellMapLayout.CropPath(dataset, crop);

    [Fact]
    public async Task Ingest_takes_the_crop_a_crop_group_path_names_and_every_crop_of_a_dataset()
    {
        using var temp = new TempDirectory();

        var (one, printedOne) = await HdInProcess.RunAsync("ingest", CropGroup(Fixture, "crop2"), "--workspace", temp.Combine("one"));
        // crop1 annotates nuc too: this workspace's hd.json lists it.
        Directory.CreateDirectory(temp.Combine("all"));
        await File.WriteAllTextAsync(temp.Combine("all", "hd.json"), """{ "pipeline": { "classes": ["mito", "er", "nuc"] } }""");
        var (all, printedAll) = await HdInProcess.RunAsync("ingest", Fixture, "--workspace", temp.Combine("all"));
        var (missing, printedMissing) = await HdInProcess.RunAsync("ingest", CropGroup(Fixture, "crop9"), "--workspace", temp.Combine("missing"));

        Assert.True(one == ExitCodes.Success, printedOne);
        Assert.Equal(["jrc_tiny/crop2"], new CropStore(Path.Combine(temp.Combine("one"), "crops"), 0.25).List().Select(c => c.Name));
        Assert.True(all == ExitCodes.Success, printedAll);
        Assert.Equal(2, new CropStore(Path.Combine(temp.Combine("all"), "crops"), 0.25).List().Count);
        Assert.True(missing == ExitCodes.BadInput, printedMissing);
        Assert.Contains("its dataset's crops: crop1, crop2", Flat(printedMissing), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Targets_reads_the_same_crop_from_a_crop_group_path_as_from_the_dataset_with_crop()
    {
        using var temp = new TempDirectory();

        var (byPath, printedByPath) = await HdInProcess.RunAsync("targets", CropGroup(Fixture, "crop2"), "--out", temp.Combine("by-path.zarr"));
        var (byOption, printedByOption) = await HdInProcess.RunAsync("targets", Fixture, "--crop", "crop2", "--out", temp.Combine("by-option.zarr"));
        var (first, printedFirst) = await HdInProcess.RunAsync("targets", Fixture, "--out", temp.Combine("first.zarr"));
        var (conflict, printedConflict) = await HdInProcess.RunAsync("targets", CropGroup(Fixture, "crop2"), "--crop", "crop1", "--out", temp.Combine("conflict.zarr"));

        Assert.True(byPath == ExitCodes.Success, printedByPath);
        Assert.True(byOption == ExitCodes.Success, printedByOption);
        Assert.Equal(Files(temp.Combine("by-option.zarr")), Files(temp.Combine("by-path.zarr")));
        Assert.True(first == ExitCodes.Success, printedFirst);
        Assert.Contains("crop crop1: the first of 2", printedFirst, StringComparison.Ordinal);
        Assert.NotEqual(Files(temp.Combine("by-option.zarr")), Files(temp.Combine("first.zarr")));
        Assert.True(conflict == ExitCodes.BadInput, printedConflict);
        Assert.Contains("is crop crop2, but --crop asks for crop1", Flat(printedConflict), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_reads_the_truth_from_a_crop_group_path_as_from_the_dataset_with_crop()
    {
        using var temp = new TempDirectory();
        var prediction = CropGroup(Fixture, "crop2"); // the truth itself, as per-class arrays: a perfect prediction

        var (byPath, printedByPath) = await HdInProcess.RunAsync("score", "--truth", CropGroup(Fixture, "crop2"), "--pred", prediction, "--json", temp.Combine("by-path.json"));
        var (byOption, printedByOption) = await HdInProcess.RunAsync("score", "--truth", Fixture, "--crop", "crop2", "--pred", prediction, "--json", temp.Combine("by-option.json"));

        Assert.True(byPath == ExitCodes.Success, printedByPath);
        Assert.True(byOption == ExitCodes.Success, printedByOption);
        foreach (var json in new[] { "by-path.json", "by-option.json" })
        {
            var classes = JsonNode.Parse(File.ReadAllText(temp.Combine(json)))!["classes"]!.AsArray();
            var er = Assert.Single(classes);
            Assert.Equal(("er", 1.0), ((string)er!["class"]!, (double)er["iou"]!));
        }
    }

    [Fact]
    public async Task Train_and_predict_read_the_crop_a_crop_group_path_names()
    {
        using var temp = new TempDirectory();
        var (trained, printedTrained) = await HdInProcess.RunAsync(
            "train", CropGroup(Fixture, "crop2"), "--variant", "one-hot", "--steps", "1", "--classes", "er", "--out", temp.Combine("train"), "--device", "cpu");
        Assert.True(trained == ExitCodes.Success, printedTrained);
        Assert.Contains("on 1 crop(s)", printedTrained, StringComparison.Ordinal);

        var models = new SiteTestModels(temp.Combine("workspace"));
        await models.PromoteAsync(1);
        string[] common = ["predict", "--workspace", models.Workspace.Root, "--model", "champion", "--device", "cpu", "--voxel-size", "8"];
        var (byPath, printedByPath) = await HdInProcess.RunAsync([.. common, "--input", CropGroup(Fixture, "crop2"), "--output", temp.Combine("by-path.zarr")], CancellationToken.None);
        var (byOption, printedByOption) = await HdInProcess.RunAsync([.. common, "--input", Fixture, "--crop", "crop2", "--output", temp.Combine("by-option.zarr")], CancellationToken.None);

        Assert.True(byPath == ExitCodes.Success, printedByPath);
        Assert.True(byOption == ExitCodes.Success, printedByOption);
        Assert.Contains("crop2", printedByPath, StringComparison.Ordinal);
        // crop2's grid: 5x6x7 voxels of 8 nm at (10, 18, 26) nm.
        foreach (var output in new[] { "by-path.zarr", "by-option.zarr" })
        {
            var level = OmeNgff.ReadMultiscale(Path.Combine(temp.Combine(output), "semantic", "mito")).Levels[0];
            Assert.Equal([5L, 6L, 7L], ZarrArray.Open(Path.Combine(temp.Combine(output), "semantic", "mito", level.Path)).Shape);
            Assert.Equal([10.0, 18.0, 26.0], level.OffsetNm);
        }
    }

    /// <summary>Every file under a folder, by relative path, with its bytes as text: two equal outputs compare equal.</summary>
    private static List<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => Path.GetRelativePath(folder, f) + ":" + Convert.ToHexString(File.ReadAllBytes(f)))
            .ToList();

    private static string Flat(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
