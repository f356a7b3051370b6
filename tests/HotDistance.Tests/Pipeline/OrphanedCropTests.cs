using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Hosting;
using HotDistance.Ingest;
using HotDistance.Learning.Model;
using HotDistance.Learning.Training;
using HotDistance.Tests.Cli;
using HotDistance.Trainer;
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
        var settings = new HostSettings
        {
            Pipeline = new PipelineSettings { Workspace = workspace },
            Ingest = new IngestSettings { PollInterval = TimeSpan.FromMilliseconds(200), AnnounceUnannouncedAfter = TimeSpan.Zero },
            Trainer = new TrainerSettings
            {
                Debounce = TimeSpan.FromMilliseconds(500),
                Training = new TrainingSettings { Steps = 4, PatchSize = 16, BatchSize = 1, Architecture = new ModelArchitecture(4, 2, [[2, 2, 2]]) },
            },
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
        var path = temp.Combine("incoming", $"{name}.zarr");
        CellMapCropWriter.Write(
            SyntheticCropGenerator.Generate(new SyntheticCropSpec(name, seed, new Shape3(24, 24, 24), VoxelSize.Isotropic(8), SyntheticCropGenerator.Classes)),
            path,
            "crop1");
        var (exitCode, printed) = await HdInProcess.RunAsync("ingest", path, "--split", split, "--workspace", workspace);
        Assert.True(exitCode == 0, printed);
        return printed;
    }
}
