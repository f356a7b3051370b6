using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Hosting;
using HotDistance.Tests.Infrastructure;
using HotDistance.Trainer;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Tests.Pipeline;

/// <summary>
/// Progress is best effort: when the broker refuses every <see cref="TrainingProgressed"/>, each job still trains
/// once, from step 0 to its end, and the generation completes. (Before, the first refused progress faulted the
/// consumer, and its retry trained the job again.)
/// </summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class ProgressPublishFailureTests(RabbitMqBrokerFixture broker)
{
    private const int Steps = 200;

    [Fact]
    public async Task A_refused_progress_publish_leaves_each_job_training_once_to_its_result()
    {
        var refused = new RefusedProgress();
        await using var pipeline = new BrokerPipeline(broker.AmqpUri, s => s with
        {
            Trainer = s.Trainer with { Training = s.Trainer.Training with { Steps = Steps, CheckpointEvery = 50 } },
        });
        await pipeline.StartRoleAsync(TrainerRole.Name, (services, bus) =>
        {
            services.AddSingleton(refused);
            bus.AddConfigureEndpointsCallback((context, _, endpoint) => endpoint.UsePublishFilter(typeof(RefuseProgressFilter<>), context));
        });
        await pipeline.StartAsync(PipelineRoles.All.Where(r => r != TrainerRole.Name));
        await pipeline.Bus.Publish(new IngestRequested(pipeline.WriteCrop("held", seed: 1), CropSplits.HeldOut, DateTimeOffset.UtcNow));
        await pipeline.Bus.Publish(new IngestRequested(pipeline.WriteCrop("train", seed: 2), CropSplits.Train, DateTimeOffset.UtcNow));

        var outcome = await pipeline.WithinAsync(pipeline.Events.OutcomeOf("gen-0001"), TimeSpan.FromMinutes(4), "gen-0001 to be evaluated");

        Assert.IsType<ModelPromoted>(outcome);
        Assert.True(refused.Count > 0, "the trainer never tried to publish progress: train longer so that it does");
        Assert.Empty(pipeline.Events.FailuresOf("gen-0001"));
        Assert.Empty(pipeline.Logs.Matching("stopping the training thread"));
        Assert.NotEmpty(pipeline.Logs.Matching("was not published, training goes on"));
        foreach (var variant in Variants.All)
        {
            var trained = pipeline.Logs.Matching($"gen-0001/{variant}: trained to step");
            Assert.True(trained.Count == 1, $"{variant} trained {trained.Count} times:{Environment.NewLine}{string.Join(Environment.NewLine, trained)}");
            Assert.Contains($"trained to step {Steps} (started at 0)", trained[0], StringComparison.Ordinal);
        }
    }

    /// <summary>How many progress messages the filter refused.</summary>
    private sealed class RefusedProgress
    {
        private int count;

        public int Count => Volatile.Read(ref count);

        public void Add() => Interlocked.Increment(ref count);
    }

    /// <summary>A publish filter on the trainer's endpoints that fails every <see cref="TrainingProgressed"/>, as a refusing broker would.</summary>
    private sealed class RefuseProgressFilter<T>(RefusedProgress refused) : IFilter<PublishContext<T>>
        where T : class
    {
        public Task Send(PublishContext<T> context, IPipe<PublishContext<T>> next)
        {
            if (context.Message is TrainingProgressed)
            {
                refused.Add();
                throw new InvalidOperationException("the broker refused this progress message (test)");
            }

            return next.Send(context);
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("refuse-progress");
    }
}
