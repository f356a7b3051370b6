using System.Text.Json.Nodes;
using HotDistance.Cli;
using HotDistance.Core.Crops;
using HotDistance.Core.Hashing;
using HotDistance.Core.IO;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Learning.Checkpoints;
using HotDistance.SiteAgent;
using HotDistance.Tests.Learning;
using HotDistance.Tests.SiteAgent;
using HotDistance.Tests.Zarr;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace HotDistance.Tests.Cli;

[Collection(HdConsoleCollectionDefinition.Name)]
public class PredictVerbTests
{
    private static readonly double[] Offset = [16, 32, 48];

    /// <summary>A CellMap dataset with one synthetic 16^3 crop at 8 nm, offset from the origin.</summary>
    private static (string Dataset, Crop Crop) WriteDataset(TempDirectory temp)
    {
        var synthetic = TinyTraining.Crop(seed: 11);
        var crop = new Crop { Name = "cells/crop1", Raw = synthetic.Raw, VoxelSize = synthetic.VoxelSize, OffsetNm = Offset, Labels = synthetic.Labels };
        var dataset = temp.Combine("cells.zarr");
        CellMapCropWriter.Write(crop, dataset, "crop1");
        return (dataset, crop);
    }

    [Fact]
    public async Task Predict_with_the_champion_writes_ome_zarr_that_our_reader_and_zarr_python_read()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));
        await models.PromoteAsync(1);
        var promoted = await models.PromoteAsync(2);
        var (dataset, crop) = WriteDataset(temp);
        var output = temp.Combine("out.zarr");

        var (exitCode, printed) = await HdInProcess.RunAsync(
            "predict", "--workspace", models.Workspace.Root, "--model", "champion", "--input", dataset, "--output", output, "--device", "cpu");

        Assert.True(exitCode == ExitCodes.Success, printed);
        Assert.Contains("v2", printed, StringComparison.Ordinal);

        // Our reader: OME-NGFF 0.4 with the crop's voxel size and offset, the model's own post-processed output.
        using var model = LoadedModel.FromDirectory(models.VersionDirectory(2), 2, promoted.Sha256);
        var expected = model.Segment(crop.Raw, crop.RawMaximum, new HashSet<string> { "mito" }, [], CPU);
        foreach (var className in new[] { "mito", "er" })
        {
            var group = Path.Combine(output, SegmentationZarrWriter.SemanticGroup, className);
            var level = Assert.Single(OmeNgff.ReadMultiscale(group).Levels);
            Assert.Equal(VoxelSize.Isotropic(8), level.VoxelSize);
            Assert.Equal(Offset, level.OffsetNm);
            var mask = ZarrArray.Open(Path.Combine(group, level.Path)).Read3D<byte>();
            Assert.Equal(crop.Shape, mask.Shape);
            Assert.Equal(expected.Classes[className].Mask.Data, mask.Data);
        }

        var instances = ZarrArray.Open(Path.Combine(output, SegmentationZarrWriter.InstancesGroup, "mito", "s0")).Read3D<uint>();
        Assert.Equal(expected.Classes["mito"].Instances!.Data, instances.Data);
        Assert.False(Directory.Exists(Path.Combine(output, SegmentationZarrWriter.InstancesGroup, "er")));
        var provenance = ZarrGroup.ReadAttributes(output)[SegmentationZarrWriter.ProvenanceAttribute]!.AsObject();
        Assert.Equal(2, provenance["version"]!.GetValue<int>());
        Assert.Equal(promoted.Sha256, provenance["model_sha256"]!.GetValue<string>());

        // hd score reads the semantic group as a prediction.
        var scored = PredictionGroupReader.Read(Path.Combine(output, SegmentationZarrWriter.SemanticGroup), ["mito", "er"], crop.Shape, dataset);
        Assert.Equal(2, scored.Count);

        // zarr-python, the reference implementation, reads the same arrays and metadata.
        var script = """
            import json, sys, zarr
            root = zarr.open_group(sys.argv[1], mode="r")
            out = {}
            for path in ["semantic/mito", "semantic/er", "instances/mito"]:
                group = root[path]
                ms = group.attrs["multiscales"][0]
                arr = group[ms["datasets"][0]["path"]]
                out[path] = {"version": ms["version"], "axes": [a["name"] + ":" + a["unit"] for a in ms["axes"]],
                             "transforms": ms["datasets"][0]["coordinateTransformations"], "dtype": str(arr.dtype),
                             "shape": list(arr.shape), "sum": int(arr[:].astype("int64").sum())}
            out["model"] = root.attrs["hotdistance"]["model"]
            print(json.dumps(out))
            """;
        var python = JsonNode.Parse(ZarrPython.Run(script, output).Trim().Split('\n')[^1])!.AsObject();
        var mito = python["semantic/mito"]!;
        Assert.Equal("0.4", mito["version"]!.GetValue<string>());
        Assert.Equal(["z:nanometer", "y:nanometer", "x:nanometer"], mito["axes"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("uint8", mito["dtype"]!.GetValue<string>());
        Assert.Equal([16, 16, 16], mito["shape"]!.AsArray().Select(a => a!.GetValue<int>()));
        Assert.Equal(expected.Classes["mito"].Mask.Data.Sum(b => b), mito["sum"]!.GetValue<long>());
        Assert.Equal("""[{"type":"scale","scale":[8,8,8]},{"type":"translation","translation":[16,32,48]}]""", mito["transforms"]!.ToJsonString());
        Assert.Equal("uint32", python["instances/mito"]!["dtype"]!.GetValue<string>());
        Assert.Equal(expected.Classes["mito"].Instances!.Data.Sum(i => (long)i), python["instances/mito"]!["sum"]!.GetValue<long>());
        Assert.Equal("hotdistance", python["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Predict_from_a_site_uses_its_current_model_and_a_version_number_uses_that_version()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));
        await models.PromoteAsync(1);
        var site = new SiteLayout(temp.Combine("site"));
        var follower = new ChampionFollower(site, models.Pipeline, models.Registry, NullLogger<ChampionFollower>.Instance);
        await follower.FollowChampionAsync("test", null, CancellationToken.None);
        await models.PromoteAsync(2); // the site has not followed yet
        var (dataset, _) = WriteDataset(temp);

        var (fromSite, printedSite) = await HdInProcess.RunAsync(
            "predict", "--workspace", models.Workspace.Root, "--site", site.Root, "--input", dataset, "--output", temp.Combine("site.zarr"), "--device", "cpu");
        var (byVersion, printedVersion) = await HdInProcess.RunAsync(
            "predict", "--workspace", models.Workspace.Root, "--model", "2", "--input", Path.Combine(dataset, "recon-1", "em", "fibsem-uint8", "s0"),
            "--output", temp.Combine("v2.zarr"), "--device", "cpu");

        Assert.True(fromSite == ExitCodes.Success, printedSite);
        Assert.True(byVersion == ExitCodes.Success, printedVersion);
        Assert.Equal(1, Version(temp.Combine("site.zarr")));
        Assert.Equal(2, Version(temp.Combine("v2.zarr")));

        // The raw array alone carries its grid through the parent group's multiscales.
        var level = OmeNgff.ReadMultiscale(temp.Combine("v2.zarr", SegmentationZarrWriter.SemanticGroup, "mito")).Levels[0];
        Assert.Equal(Offset, level.OffsetNm);
    }

    [Fact]
    public async Task Predict_a_region_writes_raw_outputs_and_a_neuroglancer_state_and_a_rerun_skips_the_finished_job()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));
        var promoted = await models.PromoteAsync(1);
        var (dataset, crop) = WriteDataset(temp);
        var output = temp.Combine("region.zarr");
        string[] arguments = ["predict", "--workspace", models.Workspace.Root, "--model", "1", "--input", Path.Combine(dataset, "recon-1", "em", "fibsem-uint8", "s0"),
            "--roi", "2:14,0:16,4:16", "--raw-output", "uint8", "--output", output, "--device", "cpu"];

        var (exitCode, printed) = await HdInProcess.RunAsync(arguments);

        Assert.True(exitCode == ExitCodes.Success, printed);
        // The region alone, placed where it lies: the crop's offset plus the region's start in voxels of 8 nm.
        var region = new Volume<float>(new Shape3(12, 16, 12));
        for (var z = 0; z < 12; z++)
        {
            for (var y = 0; y < 16; y++)
            {
                for (var x = 0; x < 12; x++)
                {
                    region[z, y, x] = crop.Raw[z + 2, y, x + 4];
                }
            }
        }

        using var model = LoadedModel.FromDirectory(models.VersionDirectory(1), 1, promoted.Sha256);
        var expected = model.Segment(region, crop.RawMaximum, null, [], CPU);
        var group = Path.Combine(output, SegmentationZarrWriter.SemanticGroup, "mito");
        Assert.Equal([Offset[0] + 16, Offset[1], Offset[2] + 32], OmeNgff.ReadMultiscale(group).Levels[0].OffsetNm);
        Assert.Equal(expected.Classes["mito"].Mask.Data, ZarrArray.Open(Path.Combine(group, "s0")).Read<byte>());
        var probabilities = ZarrArray.Open(Path.Combine(output, SegmentationZarrWriter.ProbabilitiesGroup, "mito", "s0"));
        Assert.Equal("|u1", probabilities.DataType.ToZarrString());
        Assert.Equal(new Shape3(12, 16, 12), probabilities.Shape3);

        // The viewer state names every layer where a server of the output's parent folder serves it.
        var state = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "neuroglancer.json")))!;
        var sources = state["layers"]!.AsArray().Select(l => l!["source"]!.GetValue<string>()).ToList();
        Assert.Contains("zarr://http://localhost:8000/region.zarr/semantic/mito", sources);
        Assert.Contains("zarr://http://localhost:8000/region.zarr/probabilities/mito", sources);
        Assert.Contains("https://neuroglancer-demo.appspot.com/#!", printed, StringComparison.Ordinal);

        // The same command again finds its job done; another region in the same output is refused.
        var (again, printedAgain) = await HdInProcess.RunAsync(arguments);
        Assert.True(again == ExitCodes.Success, printedAgain);
        Assert.Contains("1 block(s) were already done, 0 computed now", printedAgain, StringComparison.Ordinal);
        var (other, printedOther) = await HdInProcess.RunAsync([.. arguments.Select(a => a == "2:14,0:16,4:16" ? "0:8,0:16,0:16" : a)]);
        Assert.True(other == ExitCodes.BadInput, printedOther);
        Assert.Contains("region differs", printedOther, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_refuses_a_corrupt_registry_model_an_unknown_version_and_an_existing_output()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));
        await models.PromoteAsync(1);
        var (dataset, _) = WriteDataset(temp);
        string[] common = ["--workspace", models.Workspace.Root, "--input", dataset, "--device", "cpu"];

        var (unknown, printedUnknown) = await HdInProcess.RunAsync(["predict", .. common, "--model", "7", "--output", temp.Combine("a.zarr")]);
        Assert.True(unknown == ExitCodes.BadInput, printedUnknown);
        Assert.Contains("no version 7", printedUnknown, StringComparison.Ordinal);

        Directory.CreateDirectory(temp.Combine("exists.zarr"));
        var (exists, printedExists) = await HdInProcess.RunAsync(["predict", .. common, "--output", temp.Combine("exists.zarr")]);
        Assert.True(exists == ExitCodes.BadInput, printedExists);
        Assert.Contains("--force", printedExists, StringComparison.Ordinal);

        var weights = Path.Combine(models.VersionDirectory(1), "model.pt");
        var bytes = await File.ReadAllBytesAsync(weights);
        bytes[^10] ^= 0x01;
        await File.WriteAllBytesAsync(weights, bytes);
        var (corrupt, printedCorrupt) = await HdInProcess.RunAsync(["predict", .. common, "--output", temp.Combine("b.zarr")]);
        Assert.True(corrupt == ExitCodes.Failure, printedCorrupt);
        Assert.Contains("SHA-256", printedCorrupt, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("b.zarr")));
    }

    [Fact]
    public async Task Predict_from_a_site_refuses_its_copy_of_a_version_when_it_differs_from_the_registry_even_if_it_agrees_with_itself()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));
        await models.PromoteAsync(1);
        var site = new SiteLayout(temp.Combine("site"));
        await new ChampionFollower(site, models.Pipeline, models.Registry, NullLogger<ChampionFollower>.Instance).FollowChampionAsync("test", null, CancellationToken.None);
        var (dataset, _) = WriteDataset(temp);

        // Tampered weights with a checkpoint.json edited to match them: the copy verifies against itself.
        var kept = site.ModelDirectory(1);
        var weights = Path.Combine(kept, Checkpoint.ModelFile);
        var bytes = await File.ReadAllBytesAsync(weights);
        bytes[^10] ^= 0x01;
        await File.WriteAllBytesAsync(weights, bytes);
        var metadata = AtomicFile.ReadJson<CheckpointMetadata>(Path.Combine(kept, Checkpoint.MetadataFile))!;
        AtomicFile.WriteJson(Path.Combine(kept, Checkpoint.MetadataFile), metadata with { ModelSha256 = Sha256File.Compute(weights) });
        Assert.NotNull(Checkpoint.ReadVerified(kept));

        var (exitCode, printed) = await HdInProcess.RunAsync(
            "predict", "--workspace", models.Workspace.Root, "--site", site.Root, "--model", "1", "--input", dataset, "--output", temp.Combine("out.zarr"), "--device", "cpu");

        Assert.True(exitCode == ExitCodes.Failure, printed);
        Assert.Contains("SHA-256", printed, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("out.zarr")));
    }

    [Fact]
    public async Task Predict_distribute_without_a_broker_is_refused_before_any_work()
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("out.zarr");

        var (exitCode, printed) = await HdInProcess.RunAsync("predict", "--workspace", temp.Combine("workspace"), "--input", temp.Path, "--output", output, "--distribute");

        Assert.True(exitCode == ExitCodes.BadInput, printed);
        Assert.Contains("--distribute needs the pipeline's broker", printed, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    private static int Version(string output) =>
        ZarrGroup.ReadAttributes(output)[SegmentationZarrWriter.ProvenanceAttribute]!["version"]!.GetValue<int>();
}
