using HotDistance.Core;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Hosting;
using HotDistance.Ingest;
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
            Ingest = new IngestSettings { WatchFolder = dropbox, PollInterval = TimeSpan.FromMilliseconds(50) },
        };
        var dataset = Path.Combine(dropbox, "arriving.zarr");
        var crop = SyntheticCropGenerator.Generate(new SyntheticCropSpec("arriving", 3, new Shape3(16, 16, 16), VoxelSize.Isotropic(8), [SyntheticCropGenerator.Mito]));
        CellMapCropWriter.Write(crop, dataset, "crop1");

        var first = new PipelineEvents();
        using (var host = Start(settings, first))
        {
            await host.StartAsync();
            await Task.Delay(500);
            Assert.Empty(first.Ingested);

            await File.WriteAllTextAsync(dataset + DropFolderWatcher.ReadyMarkerSuffix, string.Empty);
            await WaitUntil(() => !first.Ingested.IsEmpty);
            await Task.Delay(300);
            Assert.Single(first.Ingested);
            await host.StopAsync();
        }

        var second = new PipelineEvents();
        using (var host = Start(settings, second))
        {
            await host.StartAsync();
            await Task.Delay(500);
            Assert.Empty(second.Ingested);
            await host.StopAsync();
        }

        Assert.Single(Directory.EnumerateDirectories(Path.Combine(settings.Pipeline.Workspace, "crops")));
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
