using System.Text.Json;
using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Core.Workspace;
using HotDistance.Core.Zarr;
using HotDistance.Ingest;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Tests.Ingest;

public class CropIngestorTests
{
    private static Crop Synthetic(int seed) =>
        SyntheticCropGenerator.Generate(new SyntheticCropSpec(
            $"crop-{seed}", seed, new Shape3(16, 16, 16), VoxelSize.Isotropic(8), [SyntheticCropGenerator.Mito, SyntheticCropGenerator.Er]));

    private static string WriteDataset(TempDirectory temp, string name, Crop crop)
    {
        var path = temp.Combine("incoming", name);
        CellMapCropWriter.Write(crop, path, "crop1");
        return path;
    }

    [Fact]
    public async Task A_valid_dataset_is_stored_and_announced_and_a_repeat_is_recognised()
    {
        using var temp = new TempDirectory();
        await using var pipeline = await IngestPipeline.StartAsync(temp.Combine("workspace"));
        var path = WriteDataset(temp, "cell.zarr", Synthetic(1));

        var outcome = Assert.Single(await pipeline.IngestAsync(path));

        Assert.Equal(IngestOutcome.Added, outcome.Status);
        Assert.Equal(CropSplits.Train, outcome.Split);
        Assert.Equal($"{path}#crop1", outcome.Source);
        Assert.Null(outcome.Reason);
        var stored = Assert.Single(pipeline.Store.List());
        Assert.Equal(outcome.CropId, stored.CropId);
        Assert.Equal("cell/crop1", stored.Name);

        var announced = Assert.Single(pipeline.Harness.Published.Select<CropIngested>()).Context.Message;
        Assert.Equal(stored.CropId, announced.CropId);
        Assert.Equal(stored.ContentHash, announced.ContentHash);
        Assert.Equal(["er", "mito"], announced.Classes);
        Assert.Equal([16, 16, 16], announced.Shape);
        Assert.Equal($"crops/{stored.CropId}", announced.StorePath);
        Assert.False(Directory.Exists(pipeline.Workspace.Quarantine));

        // Ingesting the same data again is a no-op: nothing stored, nothing announced.
        var repeat = Assert.Single(await pipeline.IngestAsync(path));
        Assert.Equal(IngestOutcome.Duplicate, repeat.Status);
        Assert.Equal(outcome.CropId, repeat.CropId);
        Assert.Single(pipeline.Store.List());
        Assert.Single(pipeline.Harness.Published.Select<CropIngested>());
    }

    [Fact]
    public async Task A_crop_with_a_class_outside_the_class_map_is_quarantined_and_not_stored()
    {
        using var temp = new TempDirectory();
        await using var pipeline = await IngestPipeline.StartAsync(temp.Combine("workspace"));
        var crop = Synthetic(2);
        var golgi = new Volume<byte>(crop.Shape);
        golgi.Data.AsSpan(0, 100).Fill(LabelValues.Present);
        var labels = new Dictionary<string, ClassLabels>(crop.Labels, StringComparer.Ordinal) { ["golgi"] = new ClassLabels("golgi", golgi) };
        var path = WriteDataset(temp, "odd.zarr", new Crop { Name = crop.Name, Raw = crop.Raw, VoxelSize = crop.VoxelSize, Labels = labels });

        var outcome = Assert.Single(await pipeline.IngestAsync(path));

        Assert.Equal(IngestOutcome.Rejected, outcome.Status);
        Assert.Null(outcome.CropId);
        Assert.Contains("'golgi'", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("add it to pipeline:classes", outcome.Reason, StringComparison.Ordinal);

        var quarantined = Assert.Single(Directory.EnumerateDirectories(pipeline.Workspace.Quarantine));
        Assert.StartsWith("odd-crop1-", Path.GetFileName(quarantined), StringComparison.Ordinal);
        Assert.Contains(outcome.Reason!, await File.ReadAllTextAsync(Path.Combine(quarantined, "reason.txt")), StringComparison.Ordinal);

        // The crop itself is copied, whole, and still reads as the crop that was rejected.
        var copy = Path.Combine(quarantined, "odd.zarr");
        Assert.Equal(["er", "golgi", "mito"], CellMapCropReader.Read(copy, "crop1").Labels.Keys.Order(StringComparer.Ordinal));
        Assert.True(Directory.Exists(path), "the source is copied, not moved");
        using (var reason = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(quarantined, "reason.json"))))
        {
            Assert.Equal($"{path}#crop1", reason.RootElement.GetProperty("source").GetString());
            Assert.Equal(outcome.Reason, reason.RootElement.GetProperty("reason").GetString());
        }

        var rejected = Assert.Single(pipeline.Harness.Published.Select<CropRejected>()).Context.Message;
        Assert.Equal(outcome.Reason, rejected.Reason);
        Assert.Equal(quarantined, rejected.QuarantinePath);
        Assert.Empty(pipeline.Store.List());
        Assert.False(Directory.Exists(pipeline.Workspace.Crops) && Directory.EnumerateDirectories(pipeline.Workspace.Crops).Any());
        Assert.False(await pipeline.Harness.Published.Any<CropIngested>());
    }

    [Fact]
    public async Task A_path_that_is_not_a_zarr_dataset_is_rejected_with_a_reason_that_says_so()
    {
        using var temp = new TempDirectory();
        await using var pipeline = await IngestPipeline.StartAsync(temp.Combine("workspace"));
        var plainFolder = temp.Combine("photos");
        Directory.CreateDirectory(plainFolder);
        await File.WriteAllTextAsync(Path.Combine(plainFolder, "cell.tif"), "not zarr");
        var missing = temp.Combine("typo.zarr");

        var notZarr = Assert.Single(await pipeline.IngestAsync(plainFolder));
        var absent = Assert.Single(await pipeline.IngestAsync(missing));

        Assert.Equal(IngestOutcome.Rejected, notZarr.Status);
        Assert.StartsWith(plainFolder, notZarr.Reason, StringComparison.Ordinal);
        Assert.Contains("not a Zarr dataset", notZarr.Reason, StringComparison.Ordinal);
        Assert.Equal(IngestOutcome.Rejected, absent.Status);
        Assert.StartsWith(missing, absent.Reason, StringComparison.Ordinal);
        Assert.Contains("does not exist", absent.Reason, StringComparison.Ordinal);
        Assert.Equal(2, Directory.EnumerateDirectories(pipeline.Workspace.Quarantine).Count());
        Assert.Equal(2, pipeline.Harness.Published.Select<CropRejected>().Count());
        Assert.Empty(pipeline.Store.List());
    }
}
