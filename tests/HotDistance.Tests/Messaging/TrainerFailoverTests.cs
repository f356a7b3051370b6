using System.Globalization;
using System.Text.RegularExpressions;
using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.Workspace;
using HotDistance.Evaluator;
using HotDistance.Hosting;
using HotDistance.Hosting.Configuration;
using HotDistance.Ingest;
using HotDistance.Learning.Training;
using HotDistance.Publisher;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Pipeline;

namespace HotDistance.Tests.Messaging;

/// <summary>Training runners as separate processes sharing a broker and a workspace; one dies mid-job.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed partial class TrainerFailoverTests(RabbitMqBrokerFixture broker)
{
    private const int Steps = 80;
    private const int CheckpointEvery = 10;

    [Fact]
    public async Task A_job_held_by_a_killed_runner_goes_to_another_runner_which_resumes_from_the_last_checkpoint()
    {
        await using var pipeline = new BrokerPipeline(broker.AmqpUri);
        await pipeline.StartAsync([IngestRole.Name, EvaluatorRole.Name, PublisherRole.Name]);
        using var doomed = StartRunner(pipeline, "runner-a");
        using var survivor = StartRunner(pipeline, "runner-b");
        await broker.WaitForConsumersAsync($"{pipeline.Settings.EndpointPrefix}-training-requested", 2, doomed, survivor);

        await pipeline.Bus.Publish(new IngestRequested(pipeline.WriteCrop("held", seed: 1), CropSplits.HeldOut, DateTimeOffset.UtcNow));
        await pipeline.Bus.Publish(new IngestRequested(pipeline.WriteCrop("train", seed: 2), CropSplits.Train, DateTimeOffset.UtcNow));

        (string Variant, int Step)? checkpointed = null;
        await pipeline.UntilAsync(
            () => (checkpointed = CheckpointedJobOf(pipeline, "runner-a")) is not null,
            TimeSpan.FromMinutes(3),
            $"runner-a checkpointing a job; it printed:{Environment.NewLine}{doomed.Output}{Environment.NewLine}runner-b printed:{Environment.NewLine}{survivor.Output}");
        var interrupted = checkpointed!.Value;
        doomed.Kill();

        var outcome = await pipeline.WithinAsync(
            pipeline.Events.OutcomeOf("gen-0001"), TimeSpan.FromMinutes(4), $"gen-0001 completing after runner-a died; runner-b printed:{Environment.NewLine}{survivor.Output}");
        Assert.IsType<ModelPromoted>(outcome);
        Assert.Single(await pipeline.Registry.ListVersionsAsync(pipeline.Settings.Pipeline.ModelName, default));

        var trained = pipeline.Events.Trained[$"gen-0001/{interrupted.Variant}"];
        Assert.Equal("runner-b", trained.Runner);
        Assert.Equal(Steps, trained.Steps);
        var resumedAt = TrainedLine().Matches(survivor.Output)
            .Where(m => m.Groups["variant"].Value == interrupted.Variant)
            .Select(m => int.Parse(m.Groups["start"].Value, CultureInfo.InvariantCulture))
            .Single();
        Assert.True(resumedAt >= interrupted.Step, $"runner-b started {interrupted.Variant} at step {resumedAt}, before runner-a's checkpoint at {interrupted.Step}");
        Assert.True(resumedAt < Steps, $"runner-b did not train {interrupted.Variant} at all (started at {resumedAt})");
    }

    private static RoleProcess StartRunner(BrokerPipeline pipeline, string name) =>
        RoleProcess.Start("trainer", new Dictionary<string, string>
        {
            [EnvironmentAliases.Workspace] = pipeline.Workspace,
            [EnvironmentAliases.RabbitMq] = pipeline.Settings.RabbitMqUri!.ToString(),
            [EnvironmentAliases.QueuePrefix] = pipeline.Settings.EndpointPrefix!,
            [EnvironmentAliases.Steps] = Steps.ToString(CultureInfo.InvariantCulture),
            [EnvironmentAliases.CheckpointEvery] = CheckpointEvery.ToString(CultureInfo.InvariantCulture),
            [EnvironmentAliases.Runner] = name,
        });

    /// <summary>A job <paramref name="runner"/> reports as running past a saved step checkpoint, if any.</summary>
    private static (string Variant, int Step)? CheckpointedJobOf(BrokerPipeline pipeline, string runner)
    {
        foreach (var progress in pipeline.Events.LatestProgress.Values.Where(p => p.Runner == runner && p.Step < p.TotalSteps))
        {
            var steps = Path.Combine(new WorkspaceLayout(pipeline.Workspace).Checkpoint(progress.GenerationId, progress.Variant), VariantTrainer.StepsDirectory);
            if (Directory.Exists(steps) && Directory.EnumerateDirectories(steps, "step-*").Any())
            {
                return (progress.Variant, CheckpointEvery);
            }
        }

        return null;
    }

    [GeneratedRegex(@"gen-0001/(?<variant>[a-z-]+): trained to step \d+ \(started at (?<start>\d+)\)")]
    private static partial Regex TrainedLine();
}
