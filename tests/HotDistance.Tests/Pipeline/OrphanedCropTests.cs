using HotDistance.Core.Crops;
using HotDistance.Hosting;
using HotDistance.Ingest;
using HotDistance.Tests.Cli;
using Microsoft.Extensions.Hosting;

namespace HotDistance.Tests.Pipeline;

/// <summary>
/// Two terminals on one workspace: <c>hd run</c> (the in-process bus) in one, <c>hd ingest</c> without a broker in the
/// other. The ingest's own process has no pipeline to tell, so it leaves its crops unannounced, and the running
/// pipeline announces and trains them; before, they were marked announced to nobody and never trained.
/// </summary>
[Collection(HdConsoleCollectionDefinition.Name)]
public sealed class OrphanedCropTests
{
    [Fact]
    public async Task Crops_that_hd_ingest_stores_without_a_broker_are_trained_by_the_pipeline_running_on_the_workspace()
    {
        using var temp = new TempDirectory();
        var workspace = temp.Combine("workspace");
        var events = new PipelineEvents();
        var settings = InProcessPipeline.Settings(workspace) with
        {
            Ingest = new IngestSettings { PollInterval = TimeSpan.FromMilliseconds(200), AnnounceUnannouncedAfter = TimeSpan.Zero },
        };
        using var running = PipelineHost.Build(settings, PipelineRoles.All, (services, bus) => PipelineObserver.Register(services, bus, events));
        await running.StartAsync();
        try
        {
            var held = await IngestOfflineAsync(temp, workspace, "held", seed: 1, CropSplits.HeldOut);
            var train = await IngestOfflineAsync(temp, workspace, "train", seed: 2, CropSplits.Train);

            Assert.Contains("not yet announced", held, StringComparison.Ordinal);
            Assert.Contains("added", train, StringComparison.Ordinal);
            var outcome = events.OutcomeOf("gen-0001");
            Assert.True(await Task.WhenAny(outcome, Task.Delay(TimeSpan.FromMinutes(3))) == outcome, "the running pipeline never trained the crops hd ingest stored");
            Assert.Equal(["held/crop1", "train/crop1"], events.Ingested.Select(c => c.Name).Distinct().Order(StringComparer.Ordinal));
            var store = new CropStore(Path.Combine(workspace, "crops"), 0.25);
            Assert.All(store.List(), c => Assert.True(store.IsAnnounced(c.CropId)));
        }
        finally
        {
            await running.StopAsync();
        }
    }

    private static async Task<string> IngestOfflineAsync(TempDirectory temp, string workspace, string name, int seed, string split)
    {
        var path = InProcessPipeline.WriteCrop(temp, name, seed);
        var (exitCode, printed) = await HdInProcess.RunAsync("ingest", path, "--split", split, "--workspace", workspace);
        Assert.True(exitCode == 0, printed);
        return printed;
    }
}
