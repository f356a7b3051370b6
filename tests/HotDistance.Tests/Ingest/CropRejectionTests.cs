using System.Text.Json;
using System.Text.Json.Nodes;
using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Ingest;
using MassTransit.Testing;

namespace HotDistance.Tests.Ingest;

/// <summary>Each way a crop can be unfit is its own error naming the file, the field and the fix, and is quarantined.</summary>
public class CropRejectionTests
{
    private static readonly string TiffFixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiff");

    public static TheoryData<string> Cases() => new(Case.All.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task An_unfit_crop_is_rejected_with_its_own_reason_copied_to_quarantine_and_never_stored(string caseName)
    {
        using var temp = new TempDirectory();
        await using var pipeline = await IngestPipeline.StartAsync(temp.Combine("workspace"));
        var testCase = Case.All[caseName];
        var source = testCase.Make(temp);

        var outcome = Assert.Single(await pipeline.IngestAsync(source));

        Assert.Equal(IngestOutcome.Rejected, outcome.Status);
        foreach (var expected in testCase.Expected)
        {
            Assert.Contains(expected, outcome.Reason, StringComparison.Ordinal);
        }

        // Other cases' reasons are not mixed in: each problem is reported on its own.
        foreach (var other in Case.All.Where(c => c.Key != caseName))
        {
            Assert.DoesNotContain(other.Value.Expected[^1], outcome.Reason, StringComparison.Ordinal);
        }

        var folder = Assert.Single(Directory.EnumerateDirectories(pipeline.Workspace.Quarantine));
        Assert.Contains(outcome.Reason!.Split(Environment.NewLine)[0], await File.ReadAllTextAsync(Path.Combine(folder, Quarantine.ReasonText)), StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, Quarantine.ReasonJson))))
        {
            Assert.Equal(outcome.Reason, json.RootElement.GetProperty("reason").GetString());
            Assert.NotEmpty(json.RootElement.GetProperty("copied").EnumerateArray());
        }

        // The rejected files themselves are in quarantine.
        Assert.Contains(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories), f => !Path.GetFileName(f).StartsWith("reason", StringComparison.Ordinal));
        var rejected = Assert.Single(pipeline.Harness.Published.Select<CropRejected>()).Context.Message;
        Assert.Equal(folder, rejected.QuarantinePath);
        Assert.Empty(pipeline.Store.List());
        Assert.False(Directory.Exists(pipeline.Workspace.Crops) && Directory.EnumerateDirectories(pipeline.Workspace.Crops).Any());
        Assert.False(await pipeline.Harness.Published.Any<CropIngested>());
    }

    [Fact]
    public async Task A_crop_with_several_problems_lists_each_of_them()
    {
        using var temp = new TempDirectory();
        await using var pipeline = await IngestPipeline.StartAsync(temp.Combine("workspace"));
        var crop = Synthetic();
        var golgi = new Volume<byte>(crop.Shape);
        Array.Fill(golgi.Data, LabelValues.Unknown);
        var path = Write(temp, With(crop, "golgi", new ClassLabels("golgi", golgi)));

        var reasons = Assert.Single(await pipeline.IngestAsync(path)).Reason!.Split(Environment.NewLine);

        Assert.Equal(2, reasons.Length);
        Assert.Contains(reasons, r => r.Contains("not one of the pipeline's classes", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("unknown (255) in every voxel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rejected_input_over_the_copy_limit_leaves_only_its_metadata_and_the_reason_in_quarantine()
    {
        using var temp = new TempDirectory();
        await using var pipeline = await IngestPipeline.StartAsync(temp.Combine("workspace"), new IngestSettings { QuarantineCopyLimitBytes = 1 << 20 });
        var folder = temp.Combine("incoming", "not-a-crop");
        Directory.CreateDirectory(Path.Combine(folder, "deep"));
        await File.WriteAllBytesAsync(Path.Combine(folder, "deep", "disk-image.bin"), new byte[2 << 20]);
        await File.WriteAllTextAsync(Path.Combine(folder, "deep", "notes.json"), "{}");

        var outcome = Assert.Single(await pipeline.IngestAsync(folder));

        Assert.Equal(IngestOutcome.Rejected, outcome.Status);
        var quarantined = Assert.Single(Directory.EnumerateDirectories(pipeline.Workspace.Quarantine));
        Assert.Equal(
            [Path.Combine("not-a-crop", "deep", "notes.json"), Quarantine.ReasonJson, Quarantine.ReasonText],
            Directory.EnumerateFiles(quarantined, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(quarantined, f)).Order(StringComparer.Ordinal));
        Assert.Contains("1 MiB quarantine copy limit", await File.ReadAllTextAsync(Path.Combine(quarantined, Quarantine.ReasonText)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_crop_whose_names_use_the_whole_name_limit_is_quarantined_under_a_shortened_name()
    {
        using var temp = new TempDirectory();
        await using var pipeline = await IngestPipeline.StartAsync(temp.Combine("workspace"));
        var crop = Synthetic();
        var golgi = new Volume<byte>(crop.Shape);
        golgi.Data.AsSpan(0, 100).Fill(LabelValues.Present);
        var path = Write(temp, With(crop, "golgi", new ClassLabels("golgi", golgi)), new string('d', 250));
        Directory.Move(CellMapLayout.CropPath(path, "crop1"), CellMapLayout.CropPath(path, "crop" + new string('7', 240)));

        var outcome = Assert.Single(await pipeline.IngestAsync(path));

        Assert.Equal(IngestOutcome.Rejected, outcome.Status);
        Assert.Contains("not one of the pipeline's classes", outcome.Reason, StringComparison.Ordinal);
        var folder = Path.GetFileName(Assert.Single(Directory.EnumerateDirectories(pipeline.Workspace.Quarantine)));
        Assert.StartsWith(new string('d', Quarantine.MaxNameLength), folder, StringComparison.Ordinal);
        Assert.True(folder.Length < 128, folder);
    }

    private static Crop Synthetic() =>
        SyntheticCropGenerator.Generate(new SyntheticCropSpec("bad", 5, new Shape3(12, 12, 12), VoxelSize.Isotropic(8), [SyntheticCropGenerator.Mito, SyntheticCropGenerator.Er]));

    private static Crop With(Crop crop, string className, ClassLabels labels) => new()
    {
        Name = crop.Name,
        Raw = crop.Raw,
        VoxelSize = crop.VoxelSize,
        Labels = new Dictionary<string, ClassLabels>(crop.Labels, StringComparer.Ordinal) { [className] = labels },
    };

    private static string Write(TempDirectory temp, Crop crop, string name = "bad")
    {
        var path = temp.Combine("incoming", name + ".zarr");
        CellMapCropWriter.Write(crop, path, "crop1", chunkSize: 8);
        return path;
    }

    /// <summary>A crop whose label arrays' .zarray is edited by <paramref name="edit"/> (their chunks stay as written).</summary>
    private static string WithLabelArrays(TempDirectory temp, Action<JsonNode> edit)
    {
        var path = Write(temp, Synthetic());
        foreach (var className in new[] { SyntheticCropGenerator.Mito, SyntheticCropGenerator.Er })
        {
            var metadata = Path.Combine(CellMapLayout.CropPath(path, "crop1"), className, "s0", ".zarray");
            var array = JsonNode.Parse(File.ReadAllText(metadata))!;
            edit(array);
            File.WriteAllText(metadata, array.ToJsonString());
        }

        return path;
    }

    private static string CopyTiff(TempDirectory temp, string fixture)
    {
        var target = temp.Combine("incoming", fixture);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(TiffFixtures, fixture)))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    private sealed record Case(Func<TempDirectory, string> Make, params string[] Expected)
    {
        public static IReadOnlyDictionary<string, Case> All { get; } = new Dictionary<string, Case>(StringComparer.Ordinal)
        {
            ["labels and raw cover different extents"] = new(temp =>
            {
                var folder = CopyTiff(temp, "per_class");
                File.Copy(Path.Combine(TiffFixtures, "dense", "labels.tif"), Path.Combine(folder, "er.tif"), overwrite: true);
                return folder;
            }, "er.tif", "field 'shape'", "cover different physical extents"),
            ["labels outside the raw"] = new(temp =>
            {
                var path = Write(temp, Synthetic());
                // Both classes moved 4000 nm along z: past the end of the raw.
                foreach (var className in new[] { SyntheticCropGenerator.Mito, SyntheticCropGenerator.Er })
                {
                    var attributes = Path.Combine(CellMapLayout.CropPath(path, "crop1"), className, ".zattrs");
                    var root = JsonNode.Parse(File.ReadAllText(attributes))!;
                    var transforms = root["multiscales"]![0]!["datasets"]![0]!["coordinateTransformations"]!.AsArray();
                    transforms.Single(t => t!["type"]!.GetValue<string>() == "translation")!["translation"]![0] = 4000.0;
                    File.WriteAllText(attributes, root.ToJsonString());
                }

                return path;
            }, "fibsem-uint8", "labels outside raw extent"),
            ["semantic class with instance values"] = new(temp =>
            {
                var crop = Synthetic();
                var ids = new Volume<uint>(crop.Shape);
                ids.Data.AsSpan(0, 50).Fill(7);
                var mask = new Volume<byte>(crop.Shape, ids.Data.Select(v => v > 0 ? LabelValues.Present : LabelValues.Absent).ToArray());
                return Write(temp, With(crop, SyntheticCropGenerator.Er, new ClassLabels(SyntheticCropGenerator.Er, mask, ids)));
            }, "crop1/er", "field 'values' holds 7", "semantic class"),
            ["narrower than the network downsamples"] = new(
                temp => Write(temp, SyntheticCropGenerator.Generate(new SyntheticCropSpec(
                    "narrow", 5, new Shape3(12, 3, 12), VoxelSize.Isotropic(8), [SyntheticCropGenerator.Mito, SyntheticCropGenerator.Er]))),
                "field 'shape'",
                "narrower in Y or X than the 4 voxels the network downsamples by"),
            ["class not in the pipeline's classes"] = new(temp =>
            {
                var crop = Synthetic();
                var golgi = new Volume<byte>(crop.Shape);
                golgi.Data.AsSpan(0, 100).Fill(LabelValues.Present);
                return Write(temp, With(crop, "golgi", new ClassLabels("golgi", golgi)));
            }, "crop1/golgi", "field 'class'", "add it to pipeline:classes"),
            ["nothing annotated"] = new(temp =>
            {
                var crop = Synthetic();
                var er = new Volume<byte>(crop.Shape);
                Array.Fill(er.Data, LabelValues.Unknown);
                return Write(temp, With(crop, SyntheticCropGenerator.Er, new ClassLabels(SyntheticCropGenerator.Er, er)));
            }, "crop1/er", "unknown (255) in every voxel"),
            ["voxel size not positive"] = new(temp =>
            {
                var folder = CopyTiff(temp, "dense");
                var sidecar = Path.Combine(folder, "crop.json");
                File.WriteAllText(sidecar, File.ReadAllText(sidecar).Replace("\"voxel_size\": [\n  8,", "\"voxel_size\": [\n  0,", StringComparison.Ordinal));
                return folder;
            }, "field 'voxel_size (crop.json)'", "not positive and finite"),
            ["voxel size missing"] = new(temp =>
            {
                var folder = CopyTiff(temp, "dense");
                var sidecar = Path.Combine(folder, "crop.json");
                File.WriteAllText(sidecar, File.ReadAllText(sidecar).Replace("\"voxel_size\"", "\"voxelsize\"", StringComparison.Ordinal));
                return folder;
            }, "crop.json", "field 'voxel_size' is missing", "add \"voxel_size\""),
            ["unsupported raw dtype"] = new(temp =>
            {
                var crop = Synthetic();
                var path = Write(temp, crop);
                var raw = Path.Combine(CellMapLayout.EmPath(path), CellMapLayout.RawUInt8Group, "s0");
                ZarrArray.Create<float>(raw, [12, 12, 12], [8, 8, 8], new ZarrWriteOptions { Overwrite = true }).Write<float>(crop.Raw.Data);
                return path;
            }, "s0/.zarray", "field 'dtype' is <f4", "store raw as uint8"),
            ["dataset path out of its group"] = new(temp =>
            {
                // Points the mito level at another dataset's array, outside this crop: never followed.
                var elsewhere = Write(temp, Synthetic(), "elsewhere");
                var path = Write(temp, Synthetic());
                var attributes = Path.Combine(CellMapLayout.CropPath(path, "crop1"), SyntheticCropGenerator.Mito, ".zattrs");
                var root = JsonNode.Parse(File.ReadAllText(attributes))!;
                root["multiscales"]![0]!["datasets"]![0]!["path"] = Path.GetRelativePath(
                    Path.GetDirectoryName(attributes)!, Path.Combine(CellMapLayout.CropPath(elsewhere, "crop1"), SyntheticCropGenerator.Mito, "s0"));
                File.WriteAllText(attributes, root.ToJsonString());
                return path;
            }, "mito/.zattrs", "field 'multiscales[0].datasets[0].path' is '../", "which is not inside its group"),
            ["sidecar file outside its folder"] = new(temp =>
            {
                var folder = CopyTiff(temp, "dense");
                File.Copy(Path.Combine(folder, "raw.tif"), temp.Combine("incoming", "outside-raw.tif"));
                var sidecar = Path.Combine(folder, "crop.json");
                var root = JsonNode.Parse(File.ReadAllText(sidecar))!;
                root["raw"] = "../outside-raw.tif";
                File.WriteAllText(sidecar, root.ToJsonString());
                return folder;
            }, "crop.json", "field 'raw' is '../outside-raw.tif'", "which is not in the sidecar's folder"),
            ["more voxels than a crop may hold"] = new(
                temp => WithLabelArrays(temp, array => array["shape"] = new JsonArray(4096, 4096, 4096)),
                "s0/.zarray", "field 'shape' is 4096x4096x4096, 68719476736 voxels", "over the 268435456 a crop may hold"),
            ["an axis longer than int"] = new(
                temp => WithLabelArrays(temp, array => array["shape"] = new JsonArray(3_000_000_000L, 12, 12)),
                "s0/.zarray", "field 'shape' is [3000000000, 12, 12]", "voxels along an axis"),
            ["chunks larger than a chunk may decode to"] = new(
                temp => WithLabelArrays(temp, array => array["chunks"] = new JsonArray(1024, 1024, 1024)),
                "s0/.zarray", "field 'chunks' is [1024, 1024, 1024]", "over 256 MiB per decoded chunk"),
            ["corrupt chunk"] = new(temp =>
            {
                var path = Write(temp, Synthetic());
                var mito = ZarrArray.Open(Path.Combine(CellMapLayout.CropPath(path, "crop1"), "mito", "s0"));
                File.WriteAllBytes(mito.ChunkPath([1, 0, 1]), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
                return path;
            }, "mito", "does not decode", "rewrite it"),
        };

        public override string ToString() => Expected[^1];
    }
}
