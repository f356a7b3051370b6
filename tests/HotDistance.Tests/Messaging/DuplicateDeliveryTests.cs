using System.Collections.Concurrent;
using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.IO;
using HotDistance.Hosting;
using HotDistance.Tests.Infrastructure;
using HotDistance.Tests.Pipeline;
using HotDistance.Trainer;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Tests.Messaging;

/// <summary>At-least-once delivery: every message of a generation arrives twice, and the work is still done once.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class DuplicateDeliveryTests(RabbitMqBrokerFixture broker)
{
    [Fact]
    public async Task Every_message_delivered_twice_still_trains_evaluates_and_registers_once()
    {
        await using var pipeline = new BrokerPipeline(broker.AmqpUri);
        await pipeline.StartAsync(PipelineRoles.All, Duplicator.Register);

        foreach (var (name, seed, split) in new[] { ("held", 1, CropSplits.HeldOut), ("train", 2, CropSplits.Train) })
        {
            var request = new IngestRequested(pipeline.WriteCrop(name, seed), split, DateTimeOffset.UtcNow);
            var messageId = NewId.NextGuid();
            await pipeline.Bus.Publish(request, c => c.MessageId = messageId);
            await pipeline.Bus.Publish(request, c => c.MessageId = messageId);
        }

        var outcome = await pipeline.WithinAsync(pipeline.Events.OutcomeOf("gen-0001"), TimeSpan.FromMinutes(4), "a promotion decision for gen-0001");
        Assert.IsType<ModelPromoted>(outcome);

        // The duplicated evaluation reaches the publisher after the original: it replays the recorded promotion.
        await pipeline.UntilAsync(() => pipeline.Events.Promotions.Count >= 2, TimeSpan.FromMinutes(1), "the duplicate evaluation being answered");
        Assert.All(pipeline.Events.Promotions, p => Assert.Equal(1, p.Version));
        Assert.Single(await pipeline.Registry.ListVersionsAsync(pipeline.Settings.Pipeline.ModelName, default));

        Assert.Equal(2, Directory.GetDirectories(Path.Combine(pipeline.Workspace, "crops")).Length);
        var planner = AtomicFile.ReadJson<PlannerState>(Path.Combine(pipeline.Workspace, "generations", "planner.json"))!;
        Assert.Single(planner.Generations);
        Assert.Equal(3, pipeline.Logs.Matching("(started at 0)").Count);
        Assert.Single(pipeline.Logs.Matching("held-out crops"), l => l.Contains("scoring", StringComparison.Ordinal));
    }

    /// <summary>Publishes each pipeline message once more, with the same message id, as a redelivering broker would.</summary>
    private sealed class Duplicator :
        IConsumer<CropIngested>,
        IConsumer<TrainingRequested>,
        IConsumer<ModelTrained>,
        IConsumer<EvaluationCompleted>
    {
        private const string Header = "hd-test-duplicate";
        private readonly ConcurrentDictionary<string, bool> duplicated = new(StringComparer.Ordinal);

        public static void Register(IServiceCollection services, IBusRegistrationConfigurator bus)
        {
            services.AddSingleton<Duplicator>();
            bus.AddConsumer<Duplicator>().Endpoint(e =>
            {
                e.Name = $"duplicator-{Guid.NewGuid():N}";
                e.Temporary = true;
            });
        }

        public Task Consume(ConsumeContext<CropIngested> context) => DuplicateOnce(context, context.Message.ContentHash);

        public Task Consume(ConsumeContext<TrainingRequested> context) => DuplicateOnce(context, $"{context.Message.GenerationId}/{context.Message.Variant}");

        public Task Consume(ConsumeContext<ModelTrained> context) => DuplicateOnce(context, $"{context.Message.GenerationId}/{context.Message.Variant}");

        public Task Consume(ConsumeContext<EvaluationCompleted> context) => DuplicateOnce(context, context.Message.EvaluationId);

        private async Task DuplicateOnce<T>(ConsumeContext<T> context, string key)
            where T : class
        {
            if (context.Headers.TryGetHeader(Header, out _) || !duplicated.TryAdd($"{typeof(T).Name}:{key}", true))
            {
                return;
            }

            await context.Publish(context.Message, c =>
            {
                c.MessageId = context.MessageId;
                c.Headers.Set(Header, "1");
            });
        }
    }
}
