using HotDistance.Catalog;
using HotDistance.Catalog.Status;
using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.Workspace;
using HotDistance.Evaluator;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Training;
using HotDistance.Publisher;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Learning;
using HotDistance.Trainer;

namespace HotDistance.Tests.Pipeline;

/// <summary>
/// Anyone who can publish to the broker can name a checkpoint. The trainer, the evaluator and the publisher use
/// only checkpoints under the workspace's generations with the SHA-256 that was announced and scored; every other
/// message is refused with its reason, recorded as a security event in the catalog, and changes nothing, while the
/// genuine generation still goes through.
/// </summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class ForgedCheckpointTests(RabbitMqBrokerFixture broker)
{
    [Fact]
    public async Task Forged_checkpoints_and_hashes_are_refused_as_security_events_and_the_genuine_generation_is_promoted()
    {
        await using var pipeline = new BrokerPipeline(broker.AmqpUri);
        await pipeline.StartAsync([TrainerRole.Name, EvaluatorRole.Name, PublisherRole.Name]);
        var workspace = new WorkspaceLayout(pipeline.Workspace);
        var store = new CropStore(workspace.Crops, pipeline.Settings.Pipeline.HeldOutFraction);
        await store.AddAsync(TinyTraining.Crop(21), CropSplits.HeldOut, CancellationToken.None);
        var trained = await new VariantTrainer(TinyTraining.Settings(steps: 2)).RunAsync(
            TinyTraining.Job(workspace.Checkpoint("gen-0001", Variants.OneHot), Variants.OneHot), null, CancellationToken.None);
        var other = await new VariantTrainer(TinyTraining.Settings(steps: 2) with { Seed = 5 }).RunAsync(
            TinyTraining.Job(workspace.Checkpoint("gen-0000", Variants.OneHot), Variants.OneHot), null, CancellationToken.None);
        var genuine = new ModelTrained(
            "gen-0001", 1, Variants.OneHot, [Variants.OneHot], CheckpointReferences.Trained("gen-0001", Variants.OneHot),
            trained.Metadata.ModelSha256, 2, trained.Metadata.FinalLoss, [], "runner", DateTimeOffset.UtcNow);
        var forgedWinner = new ModelScore(Variants.OneHot, ModelRoles.Challenger, genuine.Checkpoint, genuine.CheckpointSha256, 0.99, new Dictionary<string, double>());
        var forged = new object[]
        {
            genuine with { CheckpointSha256 = other.Metadata.ModelSha256 },
            genuine with { Checkpoint = Path.Combine(pipeline.Workspace, "..", "forged", "final") },
            genuine with { Checkpoint = CheckpointReferences.Trained("gen-0000", Variants.OneHot), CheckpointSha256 = other.Metadata.ModelSha256 },
            new EvaluationCompleted("gen-0001", "gen-0001", 1, [forgedWinner], forgedWinner, "forged", [], [], "report.html", DateTimeOffset.UtcNow),
            new TrainingRequested("gen-0002", 2, Variants.OneHot, [Variants.OneHot], [], [], ["mito"], "/tmp/attacker/final", DateTimeOffset.UtcNow),
        };
        foreach (var message in forged)
        {
            await pipeline.Bus.Publish(message, message.GetType());
        }

        var catalog = CatalogConnection.Parse(null, pipeline.Workspace).Open();
        var limits = StatusLimits.Default with { SecurityEvents = 10 };
        SecurityEvents events = SecurityEvents.None;
        await pipeline.UntilAsync(
            () => (events = catalog.ReadStatusAsync(limits, CancellationToken.None).GetAwaiter().GetResult().SecurityEvents).Total >= forged.Length,
            TimeSpan.FromMinutes(2),
            $"{forged.Length} security events in the catalog");

        var reasons = events.Latest.Select(e => $"{e.MessageType} at {e.Consumer}: {e.Reason}").ToList();
        Assert.Equal(forged.Length, events.Total);
        Assert.Contains(reasons, r => r.StartsWith("ModelTrained", StringComparison.Ordinal) && r.Contains($"not the {other.Metadata.ModelSha256} the message vouches for", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("ModelTrained", StringComparison.Ordinal) && r.Contains("/forged/final, not its own", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("ModelTrained", StringComparison.Ordinal) && r.Contains("names checkpoint generations/gen-0000/one-hot/final, not its own", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("EvaluationCompleted", StringComparison.Ordinal) && r.Contains("is not recorded in the workspace", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("TrainingRequested", StringComparison.Ordinal) && r.Contains("/tmp/attacker/final is not a trained checkpoint's reference", StringComparison.Ordinal));
        Assert.False(File.Exists(workspace.EvaluationResult("gen-0001")));
        Assert.False(Directory.Exists(workspace.Generation("gen-0002")));
        Assert.Empty(await pipeline.Registry.ListVersionsAsync(pipeline.Settings.Pipeline.ModelName, default));

        await pipeline.Bus.Publish(genuine);
        var promoted = Assert.IsType<ModelPromoted>(await pipeline.WithinAsync(pipeline.Events.OutcomeOf("gen-0001"), TimeSpan.FromMinutes(2), "the genuine generation's promotion"));
        Assert.Equal((1, trained.Metadata.ModelSha256), (promoted.Version, promoted.Sha256));
        var recorded = Core.IO.AtomicFile.ReadJson<EvaluationCompleted>(workspace.EvaluationResult("gen-0001"))!;
        Assert.Equal((genuine.Checkpoint, genuine.CheckpointSha256), (recorded.Winner!.Checkpoint, recorded.Winner.ModelSha256));

        // The registry gets what inference needs, not the optimiser state the trainer kept for resuming.
        Assert.True(File.Exists(Path.Combine(trained.CheckpointDirectory, "optimizer.pt")));
        var version = Path.Combine(pipeline.Workspace, "registry", pipeline.Settings.Pipeline.ModelName, "versions", "1");
        Assert.Equal(["checkpoint.json", "model-card.json", "model.pt", "version.json"], Directory.EnumerateFiles(version).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Null(Checkpoint.ReadVerified(version)!.OptimizerSha256);
    }
}
