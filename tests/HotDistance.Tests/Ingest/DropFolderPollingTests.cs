using HotDistance.Contracts;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Ingest;
using MassTransit.Testing;
using HotDistance.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotDistance.Tests.Ingest;

/// <summary>The drop folder, one poll at a time: nothing is read before its ready marker, nothing twice.</summary>
public class DropFolderPollingTests
{
    [Fact]
    public async Task A_slowly_copied_crop_is_picked_up_once_complete_and_only_once_even_across_restarts()
    {
        using var temp = new TempDirectory();
        await using var pipeline = await IngestPipeline.StartAsync(temp.Combine("workspace"));
        var dropbox = temp.Combine("dropbox");
        Directory.CreateDirectory(dropbox);
        var settings = new IngestSettings { WatchFolder = dropbox };
        DropFolderWatcher Watcher() => new(settings, pipeline.Workspace, pipeline.Scopes, NullLogger<DropFolderWatcher>.Instance);

        // The finished crop is written elsewhere, then copied file by file, as a slow network copy would.
        var finished = temp.Combine("elsewhere", "slow.zarr");
        CellMapCropWriter.Write(
            SyntheticCropGenerator.Generate(new SyntheticCropSpec("slow", 4, new Shape3(12, 12, 12), VoxelSize.Isotropic(8), [SyntheticCropGenerator.Mito])),
            finished, "crop1", chunkSize: 4);
        var files = Directory.EnumerateFiles(finished, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var target = Path.Combine(dropbox, "slow.zarr");
        var watcher = Watcher();
        for (var i = 0; i < files.Count; i++)
        {
            var copy = Path.Combine(target, Path.GetRelativePath(finished, files[i]));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(files[i], copy);
            if (i % 10 == 0)
            {
                Assert.Equal(0, await watcher.PollOnceAsync(CancellationToken.None));
            }
        }

        Assert.Equal(0, await watcher.PollOnceAsync(CancellationToken.None));
        Assert.Empty(pipeline.Store.List());

        await File.WriteAllTextAsync(target + DropFolderWatcher.ReadyMarkerSuffix, string.Empty);
        Assert.Equal(1, await watcher.PollOnceAsync(CancellationToken.None));
        Assert.Equal(0, await watcher.PollOnceAsync(CancellationToken.None));
        Assert.Equal(0, await Watcher().PollOnceAsync(CancellationToken.None));

        Assert.Single(pipeline.Store.List());
        Assert.Single(pipeline.Harness.Published.Select<CropIngested>());
        Assert.False(await pipeline.Harness.Published.Any<CropRejected>());
    }

    [Fact]
    public async Task Any_format_is_picked_up_by_its_ready_marker_and_a_rejected_one_is_not_retried()
    {
        using var temp = new TempDirectory();
        await using var pipeline = await IngestPipeline.StartAsync(temp.Combine("workspace"));
        var dropbox = temp.Combine("dropbox");
        var tiff = Path.Combine(dropbox, "stack");
        Directory.CreateDirectory(tiff);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiff", "dense")))
        {
            File.Copy(file, Path.Combine(tiff, Path.GetFileName(file)));
        }

        var junk = Path.Combine(dropbox, "notes.txt");
        await File.WriteAllTextAsync(junk, "not a crop");
        await File.WriteAllTextAsync(tiff + DropFolderWatcher.ReadyMarkerSuffix, string.Empty);
        await File.WriteAllTextAsync(junk + DropFolderWatcher.ReadyMarkerSuffix, string.Empty);
        var watcher = new DropFolderWatcher(new IngestSettings { WatchFolder = dropbox }, pipeline.Workspace, pipeline.Scopes, NullLogger<DropFolderWatcher>.Instance);

        Assert.Equal(2, await watcher.PollOnceAsync(CancellationToken.None));
        Assert.Equal(0, await watcher.PollOnceAsync(CancellationToken.None));

        Assert.Equal("dense-crop", Assert.Single(pipeline.Store.List()).Name);
        Assert.Contains("notes.txt", Assert.Single(pipeline.Harness.Published.Select<CropRejected>()).Context.Message.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_that_cannot_be_taken_now_is_skipped_said_once_and_the_next_one_is_taken()
    {
        using var temp = new TempDirectory();
        await using var pipeline = await IngestPipeline.StartAsync(temp.Combine("workspace"));
        var dropbox = temp.Combine("dropbox");
        Directory.CreateDirectory(dropbox);

        // A file where the quarantine folder belongs: rejecting the junk fails as a full or lost disk would.
        Directory.CreateDirectory(pipeline.Workspace.Root);
        await File.WriteAllTextAsync(pipeline.Workspace.Quarantine, "in the way");
        var junk = Path.Combine(dropbox, "a-notes.txt");
        await File.WriteAllTextAsync(junk, "not a crop");
        await File.WriteAllTextAsync(junk + DropFolderWatcher.ReadyMarkerSuffix, string.Empty);
        var tiff = Path.Combine(dropbox, "b-stack");
        Directory.CreateDirectory(tiff);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiff", "dense")))
        {
            File.Copy(file, Path.Combine(tiff, Path.GetFileName(file)));
        }

        await File.WriteAllTextAsync(tiff + DropFolderWatcher.ReadyMarkerSuffix, string.Empty);
        using var logs = new CapturedLogs();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var watcher = new DropFolderWatcher(new IngestSettings { WatchFolder = dropbox }, pipeline.Workspace, pipeline.Scopes, factory.CreateLogger<DropFolderWatcher>());

        Assert.Equal(1, await watcher.PollOnceAsync(CancellationToken.None));
        Assert.Equal(0, await watcher.PollOnceAsync(CancellationToken.None));
        Assert.Equal(0, await watcher.PollOnceAsync(CancellationToken.None));

        Assert.Equal("dense-crop", Assert.Single(pipeline.Store.List()).Name);
        Assert.Single(logs.Matching("a-notes.txt: could not be ingested now"));
    }
}
