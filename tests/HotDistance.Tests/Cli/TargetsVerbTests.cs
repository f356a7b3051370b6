using System.Text.Json;
using HotDistance.Cli.Commands;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Targets;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Tests.Zarr;

namespace HotDistance.Tests.Cli;

[Collection(HdConsoleCollectionDefinition.Name)]
public class TargetsVerbTests
{
    private static readonly Shape3 Shape = new(12, 20, 24);
    private static readonly VoxelSize Voxel = new(16, 8, 8);

    [Fact]
    public async Task Targets_writes_four_float32_class_first_arrays_equal_to_the_builders_output()
    {
        using var temp = new TempDirectory();
        var dataset = WriteDataset(temp, ["mito"]);
        var output = temp.Combine("targets.zarr");

        var (exitCode, printed) = await HdInProcess.RunAsync("targets", dataset, "--crop", "crop1", "--out", output,
            "--classes", "er,mito", "--scale-nm", "40", "--exclusive", "mito:er");

        Assert.True(exitCode == 0, printed);
        var settings = new HotDistanceTargetSettings { ScaleNm = 40, MutualExclusions = new MutualExclusions([("mito", "er")]) };
        var expected = new HotDistanceTargetBuilder(settings).Build(CellMapCropReader.Read(dataset, "crop1"), ["er", "mito"]);
        var arrays = new Dictionary<string, float[]>
        {
            [TargetsZarrWriter.OneHotArray] = expected.OneHot,
            [TargetsZarrWriter.DistanceArray] = expected.Distance,
            [TargetsZarrWriter.OneHotWeightArray] = expected.OneHotWeight,
            [TargetsZarrWriter.DistanceWeightArray] = expected.DistanceWeight,
        };
        foreach (var (name, values) in arrays)
        {
            var array = ZarrArray.Open(Path.Combine(output, name));
            Assert.Equal([2L, Shape.Z, Shape.Y, Shape.X], array.Shape);
            Assert.Equal([1, Shape.Z, Shape.Y, Shape.X], array.Chunks);
            Assert.Equal(values, array.Read<float>());
        }

        // The crop annotates mito only; er learns only from the mito voxels it cannot share.
        Assert.Equal([ClassTargetSource.ExclusionNegatives, ClassTargetSource.Annotated], expected.Sources);
        Assert.Contains(expected.Channel(expected.OneHotWeight, 0).ToArray(), w => w > 0);
        Assert.Matches(@"\ber\W+exclusion_negatives", printed);
        Assert.Matches(@"\bmito\W+annotated", printed);

        // zarr-python reads the same values, class first, with the class order and where each class came from.
        const string Script = """
            import json, sys, zarr, numpy as np
            group = zarr.open_group(sys.argv[1], mode="r")
            out = {"attrs": dict(group.attrs)}
            for name in ["onehot", "distance", "onehot_weight", "distance_weight"]:
                a = group[name]
                out[name] = {"shape": list(a.shape), "dtype": str(a.dtype), "sum": float(np.asarray(a[:], dtype=np.float64).sum()),
                             "codec": a.compressor.codec_id}
            print(json.dumps(out))
            """;
        using var python = JsonDocument.Parse(ZarrPython.Run(Script, output));
        var root = python.RootElement;
        foreach (var (name, values) in arrays)
        {
            var entry = root.GetProperty(name);
            Assert.Equal([2, Shape.Z, Shape.Y, Shape.X], entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal("float32", entry.GetProperty("dtype").GetString());
            Assert.Equal("zstd", entry.GetProperty("codec").GetString());
            Assert.Equal(values.Sum(v => (double)v), entry.GetProperty("sum").GetDouble(), 6);
        }

        var attrs = root.GetProperty("attrs");
        Assert.Equal(["er", "mito"], attrs.GetProperty(TargetsZarrWriter.ClassesAttribute).EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([16.0, 8, 8], attrs.GetProperty("voxel_size_nm").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(40.0, attrs.GetProperty("scale_nm").GetDouble());
        Assert.Equal(0.05, attrs.GetProperty("epsilon").GetDouble());
        Assert.Equal(0.8, attrs.GetProperty("threshold").GetDouble());
        Assert.Equal("exclusion_negatives", attrs.GetProperty("class_sources").GetProperty("er").GetString());
        Assert.Equal("annotated", attrs.GetProperty("class_sources").GetProperty("mito").GetString());
    }

    [Fact]
    public async Task Targets_refuses_to_replace_an_existing_output_unless_forced_and_never_replaces_what_it_did_not_write()
    {
        using var temp = new TempDirectory();
        var dataset = WriteDataset(temp, ["mito", "er"]);
        var output = temp.Combine("targets.zarr");
        Assert.Equal(0, (await HdInProcess.RunAsync("targets", dataset, "--out", output, "--classes", "mito")).ExitCode);

        var (again, printed) = await HdInProcess.RunAsync("targets", dataset, "--out", output, "--classes", "mito,er");
        Assert.Equal(2, again);
        Assert.Contains("--force", printed, StringComparison.Ordinal);
        Assert.Equal(1L, ZarrArray.Open(Path.Combine(output, TargetsZarrWriter.OneHotArray)).Shape[0]);

        Assert.Equal(0, (await HdInProcess.RunAsync("targets", dataset, "--out", output, "--classes", "mito,er", "--force")).ExitCode);
        Assert.Equal(2L, ZarrArray.Open(Path.Combine(output, TargetsZarrWriter.OneHotArray)).Shape[0]);

        var notZarr = temp.Combine("notes");
        Directory.CreateDirectory(notZarr);
        File.WriteAllText(Path.Combine(notZarr, "keep.txt"), "mine");
        var (refused, message) = await HdInProcess.RunAsync("targets", dataset, "--out", notZarr, "--force");
        Assert.Equal(2, refused);
        Assert.Contains("not a targets group", message, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(notZarr, "keep.txt")));

        // Nor a Zarr group it did not write, such as the dataset itself.
        Assert.Equal(2, (await HdInProcess.RunAsync("targets", dataset, "--out", dataset, "--force")).ExitCode);
        Assert.Equal(["crop1"], CellMapCropReader.ListCrops(dataset));
    }

    [Fact]
    public void Default_classes_are_the_pipeline_classes_the_crop_annotates_in_pipeline_order_else_all_annotated()
    {
        var both = SyntheticCropGenerator.Generate(new SyntheticCropSpec("both", 1, new Shape3(4, 4, 4), Voxel, ["mito", "er"]));
        Assert.Equal(["mito", "er"], TargetsCommand.DefaultClasses(both, ["mito", "er"]));
        Assert.Equal(["er", "mito"], TargetsCommand.DefaultClasses(both, ["er", "nuc", "mito"]));
        Assert.Equal(["er", "mito"], TargetsCommand.DefaultClasses(both, ["nuc"]));
    }

    [Fact]
    public void Exclusive_pairs_parse_and_none_switches_them_off()
    {
        var pairs = TargetsCommand.ParseExclusions("mito:er, nuc:mito", []);
        Assert.True(pairs.Exclude("er", "mito"));
        Assert.True(pairs.Exclude("mito", "nuc"));
        Assert.False(pairs.Exclude("er", "nuc"));
        Assert.True(TargetsCommand.ParseExclusions(null, [["ves", "ld"]]).Exclude("ld", "ves"));
        Assert.Empty(TargetsCommand.ParseExclusions("none", [["ves", "ld"]]).ExclusiveWith("ld"));
        var error = Assert.Throws<ArgumentException>(() => TargetsCommand.ParseExclusions("mito-er", []));
        Assert.Contains("first:second", error.Message, StringComparison.Ordinal);
    }

    internal static string WriteDataset(TempDirectory temp, IReadOnlyList<string> annotated, bool unknownSlab = false)
    {
        var dataset = temp.Combine("synthetic.zarr");
        var crop = SyntheticCropGenerator.Generate(new SyntheticCropSpec("synthetic", 11, Shape, Voxel, annotated, unknownSlab));
        CellMapCropWriter.Write(crop, dataset, "crop1");
        return dataset;
    }
}
