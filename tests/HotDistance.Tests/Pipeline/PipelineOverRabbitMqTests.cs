using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.IO;
using HotDistance.Core.Registry;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Hosting;
using HotDistance.Learning.Model;
using HotDistance.Learning.Training;
using HotDistance.Tests.Infrastructure;
using HotDistance.Trainer;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDistance.Tests.Pipeline;

/// <summary>The walking skeleton on a real broker: four roles, each on its own bus, take a crop to a promoted model.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class PipelineOverRabbitMqTests(RabbitMqBrokerFixture broker)
{
    [Fact]
    public async Task A_crop_published_to_the_broker_ends_as_a_promoted_model()
    {
        using var temp = new TempDirectory();
        var settings = new HostSettings
        {
            Pipeline = new PipelineSettings { Workspace = temp.Combine("workspace") },
            RabbitMqUri = broker.AmqpUri,
            EndpointPrefix = "t" + Guid.NewGuid().ToString("N")[..8],
            Trainer = new TrainerSettings
            {
                Debounce = TimeSpan.FromMilliseconds(500),
                Training = new TrainingSettings
                {
                    Steps = 6,
                    PatchSize = 16,
                    BatchSize = 1,
                    CheckpointEvery = 3,
                    Architecture = new ModelArchitecture(4, 2, [[2, 2, 2]]),
                },
            },
        };

        var heldOut = WriteCrop(temp, "held", seed: 1, [SyntheticCropGenerator.Mito, SyntheticCropGenerator.Er]);
        var training = WriteCrop(temp, "train", seed: 2, [SyntheticCropGenerator.Mito, SyntheticCropGenerator.Er]);

        var events = new PipelineEvents();
        using var logs = new CapturedLogs();
        void Logging(ILoggingBuilder builder) => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Information);
        var hosts = PipelineRoles.All
            .Select(role => PipelineHost.Build(settings, [role], logging: Logging))
            .Append(PipelineHost.Build(settings, [], (services, bus) => PipelineObserver.Register(services, bus, events), Logging))
            .ToList();
        try
        {
            foreach (var host in hosts)
            {
                await host.StartAsync();
            }

            var publisher = hosts[^1].Services.GetRequiredService<IBus>();
            await publisher.Publish(new IngestRequested(heldOut, CropSplits.HeldOut, DateTimeOffset.UtcNow));
            await publisher.Publish(new IngestRequested(training, CropSplits.Train, DateTimeOffset.UtcNow));

            var finished = events.OutcomeOf("gen-0001");
            if (await Task.WhenAny(finished, Task.Delay(TimeSpan.FromMinutes(4))) != finished)
            {
                Assert.Fail($"no promotion decision for gen-0001 within 4 minutes; the roles logged:{Environment.NewLine}{logs.Tail()}");
            }

            var outcome = await finished;
            var promoted = outcome as ModelPromoted
                ?? throw new Xunit.Sdk.XunitException($"not promoted: {(outcome as PromotionDeclined)?.Reason}{Environment.NewLine}{logs.Tail()}");
            Assert.Equal(1, promoted.Version);
            Assert.Contains(promoted.Variant, Variants.All);

            var evaluation = await events.EvaluationOf("gen-0001").WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(Variants.All.Order(), evaluation.Scores.Select(s => s.Variant).Order());
            Assert.Single(evaluation.HeldOutCropIds);
            Assert.Single(evaluation.TrainingCropIds);
            Assert.All(evaluation.Scores, s => Assert.InRange(s.Overall, 0, 1));
            Assert.Equal(promoted.Variant, evaluation.Winner!.Variant);
            Assert.True(File.Exists(evaluation.ReportPath));

            var registry = new LocalModelRegistry(Path.Combine(settings.Pipeline.Workspace, "registry"));
            var champion = await registry.GetByAliasAsync(settings.Pipeline.ModelName, RegistryAliases.Champion, default);
            Assert.Equal(promoted.Version, champion!.Version);
            Assert.Equal("gen-0001", champion.Tags["generation"]);
            Assert.True(File.Exists(Path.Combine(champion.Location, "model-card.json")));
            Assert.Equal(
                AtomicFile.ReadJson<StoredCrop>(Path.Combine(settings.Pipeline.Workspace, "crops", evaluation.TrainingCropIds[0], "crop.json"))!.CropId,
                evaluation.TrainingCropIds[0]);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync();
                host.Dispose();
            }
        }
    }

    private static string WriteCrop(TempDirectory temp, string name, int seed, string[] classes)
    {
        var crop = SyntheticCropGenerator.Generate(new SyntheticCropSpec(name, seed, new Shape3(24, 24, 24), VoxelSize.Isotropic(8), classes));
        var path = temp.Combine("incoming", $"{name}.zarr");
        CellMapCropWriter.Write(crop, path, "crop1");
        return path;
    }
}
