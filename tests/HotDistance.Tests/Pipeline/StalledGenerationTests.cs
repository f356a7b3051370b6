using HotDistance.Catalog;
using HotDistance.Catalog.Status;
using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Evaluator;
using HotDistance.Hosting;
using HotDistance.Tests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HotDistance.Tests.Pipeline;

/// <summary>
/// The registry is down for longer than the publisher's retries last: the promotion faults, and before, the
/// generation stayed unpromoted for good. The evaluator's sweeper announces the stalled evaluation again, and once
/// the registry is back the generation is promoted.
/// </summary>
public sealed class StalledGenerationTests
{
    [Fact]
    public async Task A_promotion_that_gave_up_while_the_registry_was_down_is_taken_up_again_once_it_is_back()
    {
        using var temp = new TempDirectory();
        var workspace = temp.Combine("workspace");
        var events = new PipelineEvents();
        var settings = InProcessPipeline.Settings(workspace) with { Evaluator = new EvaluatorSettings { SweepInterval = TimeSpan.FromSeconds(2) } };

        // A file where the registry's folder belongs: every registration fails as a registry that is down does.
        Directory.CreateDirectory(workspace);
        var registry = Path.Combine(workspace, "registry");
        await File.WriteAllTextAsync(registry, "not a registry");
        using var host = PipelineHost.Build(settings, PipelineRoles.All, (services, bus) => PipelineObserver.Register(services, bus, events));
        await host.StartAsync();
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            await InProcessPipeline.IngestFirstCropsAsync(bus, temp);

            await Eventually.Until(() => events.FailuresOf("gen-0001").ContainsKey("promote"), TimeSpan.FromMinutes(3), "the promotion to give up");
            Assert.False(events.OutcomeOf("gen-0001").IsCompleted);

            // hd status says the generation waits, for what and why, not that it failed or is still evaluated.
            var catalog = host.Services.GetRequiredService<IPipelineCatalog>();
            GenerationStatus? waiting = null;
            await Eventually.Until(
                async () => (waiting = (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Generations.SingleOrDefault())?.State == GenerationStates.Waiting,
                TimeSpan.FromMinutes(1),
                "the catalog to record the generation as waiting");
            Assert.Equal(GenerationStages.Promotion, waiting!.Stall!.Stage);
            Assert.Contains("registry", waiting.Stall.Reason, StringComparison.OrdinalIgnoreCase);

            File.Delete(registry);
            var outcome = await WaitAsync(events.OutcomeOf("gen-0001"), TimeSpan.FromMinutes(1), "the sweeper to take the promotion up again");
            Assert.Equal(1, Assert.IsType<ModelPromoted>(outcome).Version);
            await Eventually.Until(
                async () => (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Generations.Single().State == GenerationStates.Promoted,
                TimeSpan.FromMinutes(1),
                "the catalog to record the promotion");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task<T> WaitAsync<T>(Task<T> task, TimeSpan limit, string what)
    {
        Assert.True(await Task.WhenAny(task, Task.Delay(limit)) == task, $"{what} did not happen within {limit}");
        return await task;
    }
}
