using HotDistance.Core;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Hosting;
using HotDistance.Ingest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDistance.Tests.Ingest;

public class DropFolderWatcherTests
{
    [Fact]
    public async Task A_crop_is_ingested_once_its_ready_marker_appears_and_not_again_after_a_restart()
    {
        using var temp = new TempDirectory();
        var dropbox = temp.Combine("dropbox");
        var settings = new HostSettings
        {
            Pipeline = new PipelineSettings { Workspace = temp.Combine("workspace") },
            // The timer only polls at start (on a background thread, so it may come after the marker below).
            Ingest = new IngestSettings { WatchFolder = dropbox, PollInterval = TimeSpan.FromHours(1) },
        };
        var first = WriteCrop(dropbox, "arriving", seed: 3);

        var events = new PipelineEvents();
        using (var host = Start(settings, events))
        {
            await host.StartAsync();
            var watcher = host.Services.GetServices<IHostedService>().OfType<DropFolderWatcher>().Single();
            Assert.Equal(0, await watcher.PollOnceAsync(CancellationToken.None));

            await File.WriteAllTextAsync(first + DropFolderWatcher.ReadyMarkerSuffix, string.Empty);
            await watcher.PollOnceAsync(CancellationToken.None);
            await WaitUntil(() => !events.Ingested.IsEmpty);
            Assert.Equal(0, await watcher.PollOnceAsync(CancellationToken.None));
            await host.StopAsync();
        }

        // A restarted watcher polling on its timer takes a new crop and leaves the one it took before alone.
        var second = WriteCrop(dropbox, "later", seed: 4);
        await File.WriteAllTextAsync(second + DropFolderWatcher.ReadyMarkerSuffix, string.Empty);
        var restarted = new PipelineEvents();
        using (var host = Start(settings with { Ingest = settings.Ingest with { PollInterval = TimeSpan.FromMilliseconds(50) } }, restarted))
        {
            await host.StartAsync();
            await WaitUntil(() => !restarted.Ingested.IsEmpty);
            var watcher = host.Services.GetServices<IHostedService>().OfType<DropFolderWatcher>().Single();
            Assert.Equal(0, await watcher.PollOnceAsync(CancellationToken.None));
            await host.StopAsync();
        }

        Assert.Equal(["arriving/crop1"], events.Ingested.Select(c => c.Name));
        Assert.Equal(["later/crop1"], restarted.Ingested.Select(c => c.Name));
        Assert.Equal(2, Directory.EnumerateDirectories(Path.Combine(settings.Pipeline.Workspace, "crops")).Count());
    }

    private static string WriteCrop(string dropbox, string name, int seed)
    {
        var dataset = Path.Combine(dropbox, $"{name}.zarr");
        var crop = SyntheticCropGenerator.Generate(new SyntheticCropSpec(name, seed, new Shape3(16, 16, 16), VoxelSize.Isotropic(8), [SyntheticCropGenerator.Mito]));
        CellMapCropWriter.Write(crop, dataset, "crop1");
        return dataset;
    }

    private static IHost Start(HostSettings settings, PipelineEvents events) =>
        PipelineHost.Build(settings, [IngestRole.Name], (services, bus) => PipelineObserver.Register(services, bus, events), l => l.SetMinimumLevel(LogLevel.Warning));

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the drop folder");
            await Task.Delay(50);
        }
    }
}
