using HotDistance.Contracts;
using HotDistance.Hosting;
using HotDistance.Tests.Infrastructure;

namespace HotDistance.Tests.Pipeline;

/// <summary>
/// Anyone who can publish to the broker can send an id that is a path. Each role refuses such a message before
/// its consumer runs, with the message, the field and the value, and nothing is written outside the workspace.
/// </summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class ForgedIdTests(RabbitMqBrokerFixture broker)
{
    [Fact]
    public async Task Messages_whose_ids_are_paths_are_refused_by_every_role_and_write_nothing_outside_the_workspace()
    {
        await using var pipeline = new BrokerPipeline(broker.AmqpUri);
        await pipeline.StartAsync(PipelineRoles.All);
        var outside = Path.GetDirectoryName(pipeline.Workspace)!;
        var now = DateTimeOffset.UtcNow;

        await pipeline.Bus.Publish(new ModelTrained("../../outside", 1, Variants.OneHot, [Variants.OneHot], "/tmp/forged", "00", 1, 0.1, [], "forger", now));
        await pipeline.Bus.Publish(new EvaluationCompleted("../../../escape", "gen-forged", 1, [], null, "forged", [], [], "report.html", now));
        await pipeline.Bus.Publish(new TrainingRequested("gen-0009", 9, "../../x", Variants.All, [], [], ["mito"], null, now));

        await pipeline.UntilAsync(
            () => pipeline.Events.FailuresOf("../../outside").ContainsKey("evaluate")
                && pipeline.Events.FailuresOf("gen-forged").ContainsKey("promote")
                && pipeline.Events.FailuresOf("gen-0009").ContainsKey("train ../../x"),
            TimeSpan.FromMinutes(1),
            "the three forged messages to fault");

        Assert.Contains("ModelTrained.GenerationId '../../outside' is not an id", pipeline.Events.FailuresOf("../../outside")["evaluate"], StringComparison.Ordinal);
        Assert.Contains("EvaluationCompleted.EvaluationId '../../../escape' is not an id", pipeline.Events.FailuresOf("gen-forged")["promote"], StringComparison.Ordinal);
        Assert.Contains("TrainingRequested.Variant '../../x' is not an id", pipeline.Events.FailuresOf("gen-0009")["train ../../x"], StringComparison.Ordinal);
        Assert.Equal(["workspace"], Directory.EnumerateFileSystemEntries(outside).Select(Path.GetFileName).Where(n => n != "incoming"));
        Assert.False(File.Exists(Path.GetFullPath(Path.Combine(pipeline.Workspace, "promotions", "../../../escape.json"))));
        Assert.Empty(await pipeline.Registry.ListVersionsAsync(pipeline.Settings.Pipeline.ModelName, default));
        Assert.False(Directory.Exists(Path.Combine(pipeline.Workspace, "generations", "gen-0009")));
    }
}
