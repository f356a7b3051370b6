using System.Text.Json;
using System.Text.Json.Nodes;
using HotDistance.Core.Crops;
using HotDistance.Core.Zarr;

namespace HotDistance.Tests.Cli;

[Collection(HdConsoleCollectionDefinition.Name)]
public class ScoreVerbTests
{
    [Fact]
    public async Task Prediction_equal_to_the_truth_scores_one_for_every_class()
    {
        using var temp = new TempDirectory();
        var dataset = TargetsVerbTests.WriteDataset(temp, ["mito", "er"], unknownSlab: true);
        var truth = CellMapCropReader.Read(dataset, "crop1");
        var prediction = WritePrediction(temp, truth.Labels["mito"].Instances!.Data, MaskWithoutUnknown(truth.Labels["er"].Mask.Data), truth.Shape.ToArray());
        var json = temp.Combine("out", "scores.json");

        var (exitCode, printed) = await HdInProcess.RunAsync("score", "--truth", dataset, "--pred", prediction, "--json", json);

        Assert.True(exitCode == 0, printed);
        using var scores = JsonDocument.Parse(File.ReadAllText(json));
        var root = scores.RootElement;
        Assert.Equal(1.0, root.GetProperty("overall").GetDouble());
        Assert.Equal("crop1", root.GetProperty("crop").GetString());
        var classes = root.GetProperty("classes").EnumerateArray().ToDictionary(c => c.GetProperty("class").GetString()!);
        Assert.Equal(["er", "mito"], classes.Keys.Order(StringComparer.Ordinal));
        Assert.All(classes.Values, c => Assert.Equal(1.0, c.GetProperty("iou").GetDouble()));
        Assert.Equal("instance", classes["mito"].GetProperty("kind").GetString());
        Assert.Equal(1.0, classes["mito"].GetProperty("combined").GetDouble());
        Assert.Equal(JsonValueKind.Null, classes["er"].GetProperty("f1").ValueKind);
        Assert.Contains("overall 1.000", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_emptied_class_scores_zero_and_the_others_keep_their_score()
    {
        using var temp = new TempDirectory();
        var dataset = TargetsVerbTests.WriteDataset(temp, ["mito", "er"]);
        var truth = CellMapCropReader.Read(dataset, "crop1");
        var emptyEr = new byte[truth.Shape.Count];
        var prediction = WritePrediction(temp, truth.Labels["mito"].Instances!.Data, emptyEr, truth.Shape.ToArray());
        var json = temp.Combine("scores.json");

        var (exitCode, printed) = await HdInProcess.RunAsync("score", "--truth", dataset, "--crop", "crop1", "--pred", prediction, "--json", json);

        Assert.True(exitCode == 0, printed);
        var classes = JsonNode.Parse(File.ReadAllText(json))!["classes"]!.AsArray().ToDictionary(c => (string)c!["class"]!);
        Assert.Equal(0.0, (double)classes["er"]!["iou"]!);
        Assert.Equal(1.0, (double)classes["mito"]!["iou"]!);
        Assert.True((long)classes["er"]!["voxels"]!["false_negatives"]! > 0);
        // The geometric mean of a semantic 0 and an instance 1.
        Assert.Equal(0.0, (double)JsonNode.Parse(File.ReadAllText(json))!["overall"]!);
    }

    [Fact]
    public async Task A_prediction_of_another_shape_is_bad_input_named_by_its_array_path()
    {
        using var temp = new TempDirectory();
        var dataset = TargetsVerbTests.WriteDataset(temp, ["mito", "er"]);
        var truth = CellMapCropReader.Read(dataset, "crop1");
        var shape = truth.Shape;
        var prediction = WritePrediction(temp, new uint[shape.Z * shape.Y * (shape.X - 1)], new byte[shape.Count], [shape.Z, shape.Y, shape.X - 1], [shape.Z, shape.Y, shape.X]);

        var (exitCode, printed) = await HdInProcess.RunAsync("score", "--truth", dataset, "--pred", prediction);

        Assert.Equal(2, exitCode);
        Assert.Contains(Path.Combine(prediction, "mito", ZarrArray.MetadataFileName), printed, StringComparison.Ordinal);
        Assert.Contains("field 'shape'", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_class_missing_from_the_prediction_is_bad_input_that_says_which_class_and_where_it_looked()
    {
        using var temp = new TempDirectory();
        var dataset = TargetsVerbTests.WriteDataset(temp, ["mito", "er"]);
        var truth = CellMapCropReader.Read(dataset, "crop1");
        var prediction = temp.Combine("prediction.zarr");
        ZarrGroup.Create(prediction);
        ZarrArray.Create<uint>(Path.Combine(prediction, "mito"), ToLongs(truth.Shape.ToArray()), truth.Shape.ToArray()).Write<uint>(truth.Labels["mito"].Instances!.Data);

        var (exitCode, printed) = await HdInProcess.RunAsync("score", "--truth", dataset, "--pred", prediction);

        Assert.Equal(2, exitCode);
        Assert.Contains("class 'er'", printed, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(prediction, "er", ZarrArray.MetadataFileName), printed, StringComparison.Ordinal);

        // Scoring only the predicted class is fine.
        Assert.Equal(0, (await HdInProcess.RunAsync("score", "--truth", dataset, "--pred", prediction, "--classes", "mito")).ExitCode);
    }

    [Fact]
    public async Task A_truth_group_of_class_arrays_scores_and_asks_for_the_voxel_size_only_when_instances_need_it()
    {
        using var temp = new TempDirectory();
        var dataset = TargetsVerbTests.WriteDataset(temp, ["mito", "er"], unknownSlab: true);
        var crop = CellMapCropReader.Read(dataset, "crop1");
        var dims = crop.Shape.ToArray();
        var truthGroup = temp.Combine("truth.zarr");
        ZarrGroup.Create(truthGroup);
        ZarrArray.Create<uint>(Path.Combine(truthGroup, "mito"), ToLongs(dims), dims).Write<uint>(crop.Labels["mito"].Instances!.Data);
        ZarrArray.Create<byte>(Path.Combine(truthGroup, "er"), ToLongs(dims), dims).Write<byte>(crop.Labels["er"].Mask.Data);
        var prediction = WritePrediction(temp, crop.Labels["mito"].Instances!.Data, MaskWithoutUnknown(crop.Labels["er"].Mask.Data), dims);

        var (withoutVoxel, message) = await HdInProcess.RunAsync("score", "--truth", truthGroup, "--pred", prediction);
        Assert.Equal(2, withoutVoxel);
        Assert.Contains("--voxel-size", message, StringComparison.Ordinal);
        Assert.Contains("mito", message, StringComparison.Ordinal);

        Assert.Equal(0, (await HdInProcess.RunAsync("score", "--truth", truthGroup, "--pred", prediction, "--instance-classes", "none")).ExitCode);

        var json = temp.Combine("scores.json");
        var (exitCode, printed) = await HdInProcess.RunAsync("score", "--truth", truthGroup, "--pred", prediction, "--voxel-size", "16,8,8", "--json", json);
        Assert.True(exitCode == 0, printed);
        var document = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.Equal(1.0, (double)document["overall"]!);
        Assert.Equal([16.0, 8, 8], document["voxel_size_nm"]!.AsArray().Select(v => (double)v!));
    }

    private static string WritePrediction(TempDirectory temp, uint[] mito, byte[] er, int[] mitoShape, int[]? erShape = null)
    {
        var prediction = temp.Combine("prediction.zarr");
        ZarrGroup.Create(prediction);
        ZarrArray.Create<uint>(Path.Combine(prediction, "mito"), ToLongs(mitoShape), mitoShape).Write<uint>(mito);
        erShape ??= mitoShape;
        ZarrArray.Create<byte>(Path.Combine(prediction, "er"), ToLongs(erShape), erShape).Write<byte>(er);
        return prediction;
    }

    private static byte[] MaskWithoutUnknown(byte[] truth) =>
        Array.ConvertAll(truth, v => v == LabelValues.Present ? (byte)1 : (byte)0);

    private static long[] ToLongs(int[] dims) => Array.ConvertAll(dims, d => (long)d);
}
