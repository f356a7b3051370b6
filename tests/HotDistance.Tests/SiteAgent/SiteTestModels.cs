using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Registry;
using HotDistance.Core.Volumes;
using HotDistance.Core.Workspace;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Model;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Tasks;
using HotDistance.Publisher;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Learning;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotDistance.Tests.SiteAgent;

/// <summary>
/// A workspace whose registry gets tiny, untrained models (seeded, so each generation's weights differ) promoted
/// by the real <see cref="Promoter"/>, the way the pipeline's publisher does it.
/// </summary>
internal sealed class SiteTestModels
{
    /// <param name="registry">Where promotions go; by default the workspace's local registry.</param>
    public SiteTestModels(string workspace, IModelRegistry? registry = null)
    {
        Workspace = new WorkspaceLayout(workspace);
        Pipeline = new PipelineSettings { Workspace = workspace };
        Registry = registry ?? new LocalModelRegistry(Workspace.Registry);
    }

    public WorkspaceLayout Workspace { get; }

    public PipelineSettings Pipeline { get; }

    public IModelRegistry Registry { get; }

    /// <summary>The intensity normalisation every saved checkpoint records (not the default, so copying it shows).</summary>
    public static IntensityNormalization Intensity { get; } = IntensityNormalization.Percentiles(1, 99);

    /// <summary>Saves a tiny checkpoint for <paramref name="generation"/> (weights seeded by it) and returns its directory.</summary>
    public string SaveCheckpoint(int generation, string variant = Variants.HotDistance)
    {
        TorchRuntime.EnsureLoaded();
        var directory = Path.Combine(Workspace.Root, CheckpointReferences.Trained($"gen-{generation}", variant));
        var task = SegmentationTasks.Create(variant);
        using var model = new UNet(TinyTraining.Architecture, task.Heads(TinyTraining.Classes.Count), seed: generation);
        Checkpoint.Save(directory, model, null, new CheckpointMetadata(
            variant,
            TinyTraining.Classes,
            [8, 8, 8],
            50,
            1,
            TinyTraining.Architecture,
            1,
            1,
            $"gen-{generation}",
            null,
            [new CropLineage($"crop-{generation}", $"hash-{generation}")],
            [0.5],
            string.Empty,
            null,
            string.Empty,
            DateTimeOffset.UtcNow)
        {
            Intensity = Intensity,
        });
        return directory;
    }

    /// <summary>Promotes a new tiny model as the publisher would and returns the event it publishes.</summary>
    public async Task<ModelPromoted> PromoteAsync(int generation, string variant = Variants.HotDistance)
    {
        var checkpoint = SaveCheckpoint(generation, variant);
        var score = new ModelScore(
            variant, "challenger", CheckpointReferences.Trained($"gen-{generation}", variant), Checkpoint.ReadVerified(checkpoint)!.ModelSha256,
            0.5 + (generation / 100.0), new Dictionary<string, double> { ["mito"] = 0.6 });
        var evaluation = RecordedEvaluations.Record(Workspace, new EvaluationCompleted(
            $"eval-{generation}", $"gen-{generation}", generation, [score], score, "beats the champion",
            [$"held-{generation}"], [$"crop-{generation}"], "report.html", DateTimeOffset.UtcNow));
        var promoter = new Promoter(Workspace, Pipeline, Registry, NullLogger<Promoter>.Instance);
        var (promoted, _) = await promoter.PromoteAsync(evaluation, CancellationToken.None);
        return promoted!;
    }

    public async Task<int?> ChampionAsync() =>
        (await Registry.GetByAliasAsync(Pipeline.ModelName, RegistryAliases.Champion, CancellationToken.None))?.Version;

    /// <summary>A version's folder in the local registry (the default one).</summary>
    public string VersionDirectory(int version) => Path.Combine(Workspace.Registry, Pipeline.ModelName, "versions", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
