using System.Globalization;
using HotDistance.Cli;
using HotDistance.Core;
using HotDistance.Core.IO;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Hosting;
using HotDistance.Hosting.Configuration;
using HotDistance.SiteAgent;
using HotDistance.SiteAgent.Blockwise;
using HotDistance.Tests.Cli;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Learning;
using HotDistance.Tests.Zarr;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotDistance.Tests.SiteAgent;

/// <summary>
/// A site segments its own volumes (site:volumes) with each champion it follows, on hd predict's path: the same
/// bytes as <c>hd predict --model N</c>, one output per version and a pointer that moves, resumed from done records,
/// abandoned at a block boundary when the champion changes, and a volume that cannot be read does not stop the rest.
/// Inputs are written by zarr-python; three blocks each (64-voxel chunks along X, 16-voxel tiles).
/// </summary>
[Collection(HdConsoleCollectionDefinition.Name)]
public class SiteVolumeTests
{
    /// <summary>Voxels 2:28, 0:20, 4:134 of the group, in nm.</summary>
    private const string GroupRoi = "96:304,160:320,272:1312nm";

    [Fact]
    public async Task A_site_segments_its_volumes_with_each_champion_as_hd_predict_does_keeps_the_previous_and_moves_the_pointer()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));
        await models.PromoteAsync(1);
        var volumes = Volumes(temp);
        var logs = new CapturedLogs();
        using var host = PipelineHost.Build(
            new HostSettings
            {
                Pipeline = models.Pipeline,
                Device = "cpu",
                Site = new SiteSettings { Directory = temp.Combine("site"), PollInterval = TimeSpan.FromMilliseconds(200), Volumes = volumes },
            },
            [SiteRole.Name],
            logging: l => l.AddProvider(logs));
        await host.StartAsync();
        try
        {
            await WaitForPointersAsync(volumes, 1, logs);
            foreach (var volume in volumes)
            {
                await AssertSameAsHdPredictAsync(models, volume, 1, temp);
            }

            await models.PromoteAsync(2);
            await WaitForPointersAsync(volumes, 2, logs);
        }
        finally
        {
            await host.StopAsync();
        }

        foreach (var volume in volumes)
        {
            await AssertSameAsHdPredictAsync(models, volume, 2, temp);
            var pointer = AtomicFile.ReadJson<VolumeSegmentationPointer>(volume.PointerFile)!;
            Assert.Equal(("v2.zarr", 1), (pointer.Segmentation, pointer.PreviousVersion));
            Assert.True(SegmentationZarrWriter.OpenExisting(volume.SegmentationFor(1))!.IsComplete(), "the previous champion's segmentation is kept");
            Assert.NotEqual(Files(volume.SegmentationFor(1)), Files(volume.SegmentationFor(2)));
        }

        Assert.NotEmpty(logs.Matching("blocks 3/3"));
    }

    [Fact]
    public async Task An_interrupted_segmentation_continues_from_its_done_blocks_and_a_finished_one_is_not_done_again()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));
        await models.PromoteAsync(1);
        var site = await FollowAsync(models, temp);
        var volume = Volumes(temp)[0];
        var settings = new SiteSettings { Directory = site.Root, Device = "cpu", Volumes = [volume] };

        // The site stops (Ctrl+C, a crash between blocks) once its first block is recorded.
        using (var stop = new CancellationTokenSource())
        {
            var stopping = new SiteVolumeSegmenter(site, settings, models.Pipeline, new OnFirstBlock(stop.Cancel));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopping.SegmentCurrentAsync(stop.Token));
        }

        var output = volume.SegmentationFor(1);
        var done = SegmentationZarrWriter.OpenExisting(output)!;
        var first = done.DonePath(0);
        Assert.Equal([first], Directory.GetFiles(done.DoneFolder));
        var (bytes, written) = (await File.ReadAllBytesAsync(first), File.GetLastWriteTimeUtc(first));
        Assert.False(File.Exists(volume.PointerFile));

        var restarted = new SiteVolumeSegmenter(site, settings, models.Pipeline, NullLogger<SiteVolumeSegmenter>.Instance);
        var resumed = Assert.Single(await restarted.SegmentCurrentAsync(CancellationToken.None));

        Assert.Equal(VolumeOutcome.Segmented, resumed.Outcome);
        Assert.Equal((2, 1), (resumed.Result!.BlocksComputed, resumed.Result.BlocksSkipped));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(first));
        Assert.Equal(written, File.GetLastWriteTimeUtc(first));
        var pointer = await File.ReadAllTextAsync(volume.PointerFile);
        Assert.Equal(1, AtomicFile.ReadJson<VolumeSegmentationPointer>(volume.PointerFile)!.Version);

        // The same bytes as one uninterrupted run of the same volume.
        var clean = volume with { Output = temp.Combine("clean") };
        var once = new SiteVolumeSegmenter(site, settings with { Volumes = [clean] }, models.Pipeline, NullLogger<SiteVolumeSegmenter>.Instance);
        Assert.Equal(3, Assert.Single(await once.SegmentCurrentAsync(CancellationToken.None)).Result!.BlocksComputed);
        Assert.Equal(Files(clean.SegmentationFor(1)), Files(output));

        // A redelivered event or another restart finds it done: nothing computed, the pointer as it was.
        var again = Assert.Single(await restarted.SegmentCurrentAsync(CancellationToken.None));
        Assert.Equal(VolumeOutcome.AlreadyDone, again.Outcome);
        Assert.Equal(pointer, await File.ReadAllTextAsync(volume.PointerFile));
    }

    [Fact]
    public async Task A_champion_change_abandons_the_old_segmentation_at_a_block_boundary_and_the_next_run_segments_with_the_new_champion()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));
        await models.PromoteAsync(1);
        var site = await FollowAsync(models, temp);
        await models.PromoteAsync(2);
        var volumes = Volumes(temp);
        var settings = new SiteSettings { Directory = site.Root, Device = "cpu", Volumes = volumes };
        var follower = new ChampionFollower(site, models.Pipeline, models.Registry, NullLogger<ChampionFollower>.Instance);

        // The site follows v2 while v1 segments the first volume's first block.
        var segmenter = new SiteVolumeSegmenter(site, settings, models.Pipeline, new OnFirstBlock(() =>
            Assert.Equal(SiteUpdateKind.Switched, follower.FollowChampionAsync("promoted", null, CancellationToken.None).GetAwaiter().GetResult().Kind)));
        var abandoned = await segmenter.SegmentCurrentAsync(CancellationToken.None);

        Assert.Equal([VolumeOutcome.Abandoned, VolumeOutcome.Abandoned], abandoned.Select(r => r.Outcome));
        Assert.All(abandoned, r => Assert.Equal(1, r.Version));
        Assert.Single(Directory.GetFiles(SegmentationZarrWriter.OpenExisting(volumes[0].SegmentationFor(1))!.DoneFolder));
        Assert.False(Directory.Exists(volumes[1].SegmentationFor(1)));
        Assert.All(volumes, v => Assert.False(File.Exists(v.PointerFile)));

        var next = await segmenter.SegmentCurrentAsync(CancellationToken.None);

        Assert.All(next, r => Assert.Equal((VolumeOutcome.Segmented, 2), (r.Outcome, r.Version)));
        Assert.All(volumes, v => Assert.Equal(("v2.zarr", (int?)null), (AtomicFile.ReadJson<VolumeSegmentationPointer>(v.PointerFile)!.Segmentation, AtomicFile.ReadJson<VolumeSegmentationPointer>(v.PointerFile)!.PreviousVersion)));
        Assert.False(SegmentationZarrWriter.OpenExisting(volumes[0].SegmentationFor(1))!.IsComplete());
    }

    [Fact]
    public async Task Site_once_segments_what_it_can_names_a_volume_it_cannot_read_and_refuses_to_start_without_an_input()
    {
        using var temp = new TempDirectory();
        var models = new SiteTestModels(temp.Combine("workspace"));
        await models.PromoteAsync(1);
        var good = Volumes(temp)[0];
        var unreadable = temp.Combine("not-zarr");
        Directory.CreateDirectory(unreadable);
        var config = temp.Combine("hd.json");
        await File.WriteAllTextAsync(config, $$"""
            { "device": "cpu", "site": { "volumes": [
                { "input": "{{unreadable}}", "output": "{{temp.Combine("seg-bad")}}" },
                { "input": "{{good.Input}}", "output": "{{good.Output}}", "block": 16, "tile": 16 } ] } }
            """);
        string[] once = ["site", "--workspace", models.Workspace.Root, "--config", config, "--dir", temp.Combine("site"), "--once"];

        var (exitCode, printed) = await HdInProcess.RunAsync(once);

        Assert.True(exitCode == ExitCodes.Failure, printed);
        Assert.Contains($"site:volumes:0:input {unreadable} is neither", printed, StringComparison.Ordinal);
        Assert.Contains("segmented", printed, StringComparison.Ordinal);
        Assert.Equal(1, AtomicFile.ReadJson<VolumeSegmentationPointer>(good.PointerFile)!.Version);
        Assert.False(File.Exists(Path.Combine(temp.Combine("seg-bad"), SiteLayout.PointerFile)));

        Directory.Delete(unreadable);
        var (missing, printedMissing) = await HdInProcess.RunAsync(once);
        Assert.True(missing == ExitCodes.BadInput, printedMissing);
        Assert.Contains($"site:volumes:0:input = '{unreadable}': no such folder", printedMissing, StringComparison.Ordinal);
    }

    /// <summary>A site folder that has followed the registry's champion.</summary>
    private static async Task<SiteLayout> FollowAsync(SiteTestModels models, TempDirectory temp)
    {
        var site = new SiteLayout(temp.Combine("site"));
        var follower = new ChampionFollower(site, models.Pipeline, models.Registry, NullLogger<ChampionFollower>.Instance);
        Assert.Equal(SiteUpdateKind.Switched, (await follower.FollowChampionAsync("test", null, CancellationToken.None)).Kind);
        return site;
    }

    /// <summary>
    /// Two volumes written by zarr-python from one synthetic raw: a bare 3-D uint8 array (20 x 24 x 150), and an
    /// OME-Zarr raw group (30 x 20 x 140 at 8 nm, offset 80, 160, 240 nm) segmented within a region of interest in nm
    /// (voxels 2:28, 0:20, 4:134). Each is three blocks along X.
    /// </summary>
    private static SiteVolume[] Volumes(TempDirectory temp)
    {
        var raw = temp.Combine("raw.bin");
        if (!File.Exists(raw))
        {
            var synthetic = SyntheticCropGenerator.Generate(new SyntheticCropSpec("site", 3, new Shape3(30, 24, 150), VoxelSize.Isotropic(8), TinyTraining.Classes)).Raw;
            File.WriteAllBytes(raw, RawIntensity.ToUInt8(synthetic.Data));
            ZarrPython.Run(
                """
                import sys, numpy, zarr
                a = numpy.fromfile(sys.argv[1], dtype='uint8').reshape(30, 24, 150)
                zarr.open(sys.argv[2], mode='w', shape=(20, 24, 150), chunks=(10, 10, 10), dtype='uint8')[:] = a[:20]
                g = zarr.open_group(sys.argv[3], mode='w')
                g.create_dataset('s0', data=a[:, :20, 5:145], chunks=(10, 10, 10))
                g.attrs['multiscales'] = [{'version': '0.4', 'name': 'raw', 'axes': [{'name': n, 'type': 'space', 'unit': 'nanometer'} for n in 'zyx'],
                    'datasets': [{'path': 's0', 'coordinateTransformations': [{'type': 'scale', 'scale': [8.0, 8.0, 8.0]}, {'type': 'translation', 'translation': [80.0, 160.0, 240.0]}]}]}]
                """,
                raw,
                temp.Combine("array.zarr"),
                temp.Combine("group.zarr"));
        }

        return
        [
            new SiteVolume { Input = temp.Combine("array.zarr"), Output = temp.Combine("seg-array"), Block = 16, Tile = 16 },
            new SiteVolume { Input = temp.Combine("group.zarr"), Output = temp.Combine("seg-group"), Roi = RegionOfInterest.Parse(GroupRoi, "test"), Block = 16, Tile = 16 },
        ];
    }

    private static async Task WaitForPointersAsync(IEnumerable<SiteVolume> volumes, int version, CapturedLogs logs) =>
        await Eventually.Until(
            () => volumes.All(v => File.Exists(v.PointerFile) && AtomicFile.ReadJson<VolumeSegmentationPointer>(v.PointerFile)!.Version == version),
            TimeSpan.FromMinutes(2),
            $"every volume's pointer naming v{version}",
            () => logs.Tail());

    /// <summary><c>hd predict --model N</c> on the volume's input, region and blocks writes the site's segmentation byte for byte.</summary>
    private static async Task AssertSameAsHdPredictAsync(SiteTestModels models, SiteVolume volume, int version, TempDirectory temp)
    {
        var output = temp.Combine($"predict-{Path.GetFileName(volume.Output)}-v{version}.zarr");
        string[] roi = volume.Roi is { } region ? ["--roi", region.ToString()] : [];
        var (exitCode, printed) = await HdInProcess.RunAsync(
            ["predict", "--workspace", models.Workspace.Root, "--model", version.ToString(CultureInfo.InvariantCulture), "--input", volume.Input, .. roi,
                "--block", volume.Block.ToString(CultureInfo.InvariantCulture), "--tile", volume.Tile.ToString(CultureInfo.InvariantCulture), "--output", output, "--device", "cpu"]);
        Assert.True(exitCode == ExitCodes.Success, printed);
        Assert.Contains("3 block(s)", printed, StringComparison.Ordinal);
        var expected = Files(output);
        Assert.Contains(expected.Keys, k => k.StartsWith(SegmentationZarrWriter.InstancesGroup, StringComparison.Ordinal));
        Assert.Equal(expected, Files(volume.SegmentationFor(version)));
    }

    /// <summary>Every file of the labels (masks and instances, every level, metadata included) by path, as text of its bytes.</summary>
    private static SortedDictionary<string, string> Files(string output)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in new[] { SegmentationZarrWriter.SemanticGroup, SegmentationZarrWriter.InstancesGroup })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(output, group), "*", SearchOption.AllDirectories))
            {
                files[Path.GetRelativePath(output, file)] = Convert.ToHexString(File.ReadAllBytes(file));
            }
        }

        return files;
    }

    /// <summary>Runs an action when the segmenter logs its first block done, between that block and the next.</summary>
    private sealed class OnFirstBlock(Action action) : ILogger<SiteVolumeSegmenter>
    {
        private int fired;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (formatter(state, exception).Contains(": blocks 1/", StringComparison.Ordinal) && Interlocked.Exchange(ref fired, 1) == 0)
            {
                action();
            }
        }
    }
}
