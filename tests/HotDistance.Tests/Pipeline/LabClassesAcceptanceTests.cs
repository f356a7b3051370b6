using HotDistance.Contracts;
using HotDistance.Core.IO;
using HotDistance.Core.Workspace;
using HotDistance.Hosting;
using HotDistance.Hosting.Configuration;
using HotDistance.Learning.Checkpoints;
using HotDistance.Publisher;
using HotDistance.Trainer;
using HotDistance.Tests.Zarr;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace HotDistance.Tests.Pipeline;

/// <summary>
/// Issue 12's acceptance: a lab's CellMap dataset, written by zarr-python, whose crops annotate nuc, mito and ves
/// (instances) and er (semantic), goes through ingest, the three variants, evaluation and promotion with nothing but
/// an hd.json that names those classes (and, for the test's sake, tiny training).
/// </summary>
public sealed class LabClassesAcceptanceTests(ITestOutputHelper output)
{
    /// <summary>
    /// Writes argv[1]: raw 48^3 at 8 nm and four 24^3 crops, each with a nucleus, a mitochondrion, two vesicles (ids)
    /// and ER sheets (0/1), the way CellMap lays them out.
    /// </summary>
    private const string WriteDataset = """
        import sys
        import numcodecs, numpy as np, zarr

        def ome(name, translation):
            return {"multiscales": [{"version": "0.4", "name": name,
                "axes": [{"name": a, "type": "space", "unit": "nanometer"} for a in "zyx"],
                "datasets": [{"path": "s0", "coordinateTransformations": [
                    {"type": "scale", "scale": [8.0, 8.0, 8.0]}, {"type": "translation", "translation": list(map(float, translation))}]}]}]}

        n, c = 48, 24
        z, y, x = np.meshgrid(np.arange(n), np.arange(n), np.arange(n), indexing="ij")
        def ball(center, radius):
            return ((z - center[0]) ** 2 + (y - center[1]) ** 2 + (x - center[2]) ** 2) <= radius ** 2
        nuc = np.zeros((n, n, n), np.uint32); mito = np.zeros_like(nuc); ves = np.zeros_like(nuc)
        offsets = [(0, 0, 0), (0, 0, 24), (0, 24, 0), (24, 0, 0)]
        for i, (oz, oy, ox) in enumerate(offsets):
            nuc[ball((oz + 14, oy + 14, ox + 14), 7)] = i + 1
            mito[ball((oz + 5, oy + 5, ox + 18), 3) | ball((oz + 5, oy + 7, ox + 18), 3)] = i + 1
            ves[ball((oz + 19, oy + 4, ox + 4), 2)] = 2 * i + 1
            ves[ball((oz + 4, oy + 19, ox + 4), 2)] = 2 * i + 2
        er = (((x % 8) == 0) & (nuc == 0) & (mito == 0) & (ves == 0)).astype(np.uint8)
        rng = np.random.default_rng(12)
        raw = np.full((n, n, n), 128.0) + rng.normal(0, 6, (n, n, n))
        raw[nuc > 0] = 180; raw[mito > 0] = 60; raw[ves > 0] = 230; raw[er > 0] = 25
        root = zarr.open_group(sys.argv[1], mode="w")
        em = root.require_group("recon-1/em/fibsem-uint8")
        em.create_dataset("s0", data=np.clip(raw, 0, 255).astype(np.uint8), chunks=(16, 16, 16), compressor=numcodecs.Zstd(level=3))
        em.attrs.update(ome("fibsem-uint8", (0, 0, 0)))
        for i, (oz, oy, ox) in enumerate(offsets):
            window = (slice(oz, oz + c), slice(oy, oy + c), slice(ox, ox + c))
            for name, labels in (("nuc", nuc), ("mito", mito), ("ves", ves), ("er", er)):
                group = root.require_group(f"recon-1/labels/groundtruth/crop{i + 1}/{name}")
                group.create_dataset("s0", data=labels[window], chunks=(12, 12, 12), compressor=numcodecs.Blosc(cname="lz4", clevel=5))
                group.attrs.update(ome(name, (oz * 8, oy * 8, ox * 8)))
        print("written", sys.argv[1])
        """;

    private static readonly string[] LabClasses = ["nuc", "mito", "ves", "er"];

    [Fact]
    public async Task A_zarr_python_dataset_of_nuc_mito_ves_and_er_is_ingested_trained_evaluated_and_promoted_from_hd_json_alone()
    {
        using var temp = new TempDirectory();
        var dataset = temp.Combine("incoming", "jrc_lab.zarr");
        output.WriteLine(ZarrPython.Run(WriteDataset, dataset));
        var workspace = temp.Combine("workspace");
        Directory.CreateDirectory(workspace);
        await File.WriteAllTextAsync(Path.Combine(workspace, ConfigurationSources.FileName), """
            {
              // the lab's classes; nuc, mito and ves are instance classes by their CellMap names
              "pipeline": { "classes": ["nuc", "mito", "ves", "er"], "mutuallyExclusive": [["mito", "er"]] },
              // tiny training, so the test runs in a minute on a CPU
              "trainer": { "debounce": "2s", "training": { "steps": 4, "patchSize": 16, "batchSize": 1 } }
            }
            """);
        var commandLine = new ConfigurationLayer();
        commandLine.Set("pipeline:workspace", workspace, "--workspace");
        var settings = HostConfiguration.Load(null, commandLine, new Dictionary<string, string>()).Settings;
        Assert.Equal(LabClasses, settings.Pipeline.Classes);

        var events = new PipelineEvents();
        using var host = PipelineHost.Build(settings, PipelineRoles.All, (services, bus) => PipelineObserver.Register(services, bus, events));
        await host.StartAsync();
        try
        {
            await host.Services.GetRequiredService<IBus>().Publish(new IngestRequested(dataset, null, DateTimeOffset.UtcNow));
            var outcome = events.OutcomeOf("gen-0001");
            Assert.True(await Task.WhenAny(outcome, Task.Delay(TimeSpan.FromMinutes(5))) == outcome, $"generation 1 was not decided within 5 minutes; failures: {string.Join("; ", events.FailuresOf("gen-0001"))}");
            var promoted = Assert.IsType<ModelPromoted>(await outcome);
            var evaluation = await events.EvaluationOf("gen-0001");

            Assert.Equal(4, events.Ingested.Count);
            Assert.All(events.Ingested, crop => Assert.Equal(LabClasses.Order(StringComparer.Ordinal), crop.Classes.Order(StringComparer.Ordinal)));
            Assert.Equal(Variants.All.Order(StringComparer.Ordinal), events.Trained.Values.Select(t => t.Variant).Order(StringComparer.Ordinal));
            Assert.All(evaluation.Scores, score => Assert.Equal(LabClasses.Order(StringComparer.Ordinal), score.PerClass.Keys.Order(StringComparer.Ordinal)));
            Assert.Equal(1, promoted.Version);

            // The run is recorded as data: the generation's configuration beside its checkpoints, the training settings
            // in each checkpoint and in the promoted model's card.
            var layout = new WorkspaceLayout(workspace);
            var planned = GenerationConfiguration.Read(layout, "gen-0001")!;
            Assert.Equal(LabClasses, planned.Pipeline.Classes);
            Assert.Equal(4, planned.Trainer.Training.Steps);
            foreach (var variant in Variants.All)
            {
                var trained = Checkpoint.ReadVerified(Path.Combine(workspace, CheckpointReferences.Trained("gen-0001", variant)))!;
                Assert.Equal(LabClasses, trained.Classes);
                Assert.Equal((4, 16, 1), (trained.Training!.Steps, trained.Training.PatchSize, trained.Training.BatchSize));
                Assert.Equal([["mito", "er"]], trained.Training.MutuallyExclusive);
            }

            var card = AtomicFile.ReadJson<ModelCard>(Directory.EnumerateFiles(layout.Registry, ModelCard.FileName, SearchOption.AllDirectories).Single())!;
            Assert.Equal(16, card.Training!.PatchSize);
            output.WriteLine($"promoted v{promoted.Version} ({promoted.Variant}); held-out scores: {string.Join("; ", evaluation.Scores.Select(s => $"{s.Variant} {string.Join(", ", s.PerClass.Select(p => $"{p.Key} {p.Value:F2}"))}"))}");
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
