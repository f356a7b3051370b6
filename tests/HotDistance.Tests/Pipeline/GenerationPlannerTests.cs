using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.Workspace;
using HotDistance.Trainer;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotDistance.Tests.Pipeline;

public class GenerationPlannerTests
{
    private static CropIngested Crop(string id, string split = CropSplits.Train) =>
        new(id, "hash-" + id, id, split, ["mito"], [8, 8, 8], [8, 8, 8], "/store/" + id, DateTimeOffset.UtcNow);

    [Fact]
    public async Task Crops_within_the_debounce_window_form_one_generation_and_duplicates_count_once()
    {
        using var temp = new TempDirectory();
        await using var provider = new ServiceCollection().AddMassTransitTestHarness(x => x.DisableUsageTelemetry()).BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();

        var clock = new ManualClock(DateTimeOffset.Parse("2026-11-24T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var workspace = new WorkspaceLayout(temp.Path);
        var settings = new TrainerSettings { Debounce = TimeSpan.FromSeconds(5), MaxBatch = 10 };
        var planner = new GenerationPlanner(workspace, new PipelineSettings { Workspace = temp.Path }, settings, clock, NullLogger<GenerationPlanner>.Instance);

        await planner.AddCropAsync(Crop("a"), default);
        await planner.AddCropAsync(Crop("a"), default);
        await planner.AddCropAsync(Crop("held", CropSplits.HeldOut), default);
        clock.Advance(TimeSpan.FromSeconds(3));
        await planner.AddCropAsync(Crop("b"), default);
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Empty(await planner.TickAsync(harness.Bus, default));

        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(["gen-0001"], await planner.TickAsync(harness.Bus, default));
        Assert.Empty(await planner.TickAsync(harness.Bus, default));

        var requests = harness.Published.Select<TrainingRequested>().Select(m => m.Context.Message).ToList();
        Assert.Equal(Variants.All.Order(), requests.Select(r => r.Variant).Order());
        Assert.All(requests, r => Assert.Equal(["a", "b"], r.TrainingCropIds));
        Assert.All(requests, r => Assert.Null(r.WarmStartCheckpoint));

        // A later crop makes a second generation over all crops so far, warm-started from the first.
        await planner.AddCropAsync(Crop("c"), default);
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(["gen-0002"], await planner.TickAsync(harness.Bus, default));
        var second = harness.Published.Select<TrainingRequested>().Select(m => m.Context.Message).Where(r => r.GenerationId == "gen-0002").ToList();
        Assert.Equal(3, second.Count);
        Assert.All(second, r => Assert.Equal(["a", "b", "c"], r.TrainingCropIds));
        Assert.All(second, r => Assert.Equal(["c"], r.NewCropIds));
        Assert.All(second, r => Assert.Equal(CheckpointReferences.Trained("gen-0001", r.Variant), r.WarmStartCheckpoint));
    }

    [Fact]
    public async Task A_full_batch_does_not_wait_for_the_debounce_window()
    {
        using var temp = new TempDirectory();
        await using var provider = new ServiceCollection().AddMassTransitTestHarness(x => x.DisableUsageTelemetry()).BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var planner = new GenerationPlanner(
            new WorkspaceLayout(temp.Path), new PipelineSettings { Workspace = temp.Path },
            new TrainerSettings { Debounce = TimeSpan.FromHours(1), MaxBatch = 2 }, clock, NullLogger<GenerationPlanner>.Instance);

        await planner.AddCropAsync(Crop("a"), default);
        Assert.Empty(await planner.TickAsync(harness.Bus, default));
        await planner.AddCropAsync(Crop("b"), default);
        Assert.Equal(["gen-0001"], await planner.TickAsync(harness.Bus, default));
    }

    [Fact]
    public async Task A_retraining_request_opens_a_generation_over_the_same_crops_once_however_often_it_arrives()
    {
        using var temp = new TempDirectory();
        await using var provider = new ServiceCollection().AddMassTransitTestHarness(x => x.DisableUsageTelemetry()).BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var workspace = new WorkspaceLayout(temp.Path);
        var planner = new GenerationPlanner(
            workspace, new PipelineSettings { Workspace = temp.Path },
            new TrainerSettings { Debounce = TimeSpan.FromSeconds(1), MaxBatch = 10 }, clock, NullLogger<GenerationPlanner>.Instance);

        var request = new RetrainingRequested("nightly-2026-11-25", "champion fell 0.05", "evaluator/nightly", clock.GetUtcNow());
        await planner.RequestRetrainingAsync(request, default);
        Assert.Empty(await planner.TickAsync(harness.Bus, default));

        await planner.AddCropAsync(Crop("a"), default);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(["gen-0001"], await planner.TickAsync(harness.Bus, default));

        await planner.RequestRetrainingAsync(request with { RequestId = "nightly-2026-11-26" }, default);
        await planner.RequestRetrainingAsync(request with { RequestId = "nightly-2026-11-26" }, default);
        Assert.Equal(["gen-0002"], await planner.TickAsync(harness.Bus, default));
        Assert.Empty(await planner.TickAsync(harness.Bus, default));

        var retrained = harness.Published.Select<TrainingRequested>().Select(m => m.Context.Message).Where(r => r.GenerationId == "gen-0002").ToList();
        Assert.Equal(3, retrained.Count);
        Assert.All(retrained, r => Assert.Equal(["a"], r.TrainingCropIds));
        Assert.All(retrained, r => Assert.Empty(r.NewCropIds));
        Assert.All(retrained, r => Assert.Equal(CheckpointReferences.Trained("gen-0001", r.Variant), r.WarmStartCheckpoint));
    }
}
