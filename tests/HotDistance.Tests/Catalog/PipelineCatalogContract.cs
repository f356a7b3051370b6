using System.Text.Json;
using HotDistance.Catalog;
using HotDistance.Catalog.Recording;
using HotDistance.Catalog.Status;
using HotDistance.Contracts;
using HotDistance.Tests.Infrastructure;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Tests.Catalog;

/// <summary>
/// The catalog's behaviour, one body of tests run against each database: <see cref="SqliteCatalogTests"/> and
/// <see cref="PostgresCatalogTests"/> (a real PostgreSQL server). Each test gets an empty database of its own.
/// </summary>
public abstract class PipelineCatalogContract
{
    /// <summary>A new, empty database; every call of the returned connection's <c>Open</c> is another client of it.</summary>
    protected abstract Task<CatalogConnection> CreateDatabaseAsync();

    [Fact]
    public async Task Status_shows_crops_by_split_and_class_generations_with_their_jobs_evaluations_and_the_promotion_history()
    {
        var catalog = (await CreateDatabaseAsync()).Open();
        foreach (var message in CatalogFlow.FullRun())
        {
            await CatalogFlow.RecordAsync(catalog, message);
        }

        var status = await catalog.ReadStatusAsync(StatusLimits.Default, default);

        Assert.Equal(4, status.Crops.Total);
        Assert.Equal([new SplitCount("heldout", 1), new SplitCount("train", 3)], status.Crops.BySplit);
        Assert.Equal(
            [new ClassCount("er", "heldout", 1), new ClassCount("er", "train", 2), new ClassCount("mito", "heldout", 1), new ClassCount("mito", "train", 2)],
            status.Crops.ByClass);
        Assert.Equal(1, status.Crops.Rejected);
        Assert.Equal("/drop/bad1.zarr", Assert.Single(status.Crops.LatestRejections).Source);

        Assert.Equal(["gen-0003", "gen-0002", "gen-0001"], status.Generations.Select(g => g.GenerationId));
        Assert.Equal([GenerationStates.Training, GenerationStates.Declined, GenerationStates.Promoted], status.Generations.Select(g => g.State));
        var third = status.Generations[0];
        Assert.Equal((3L, 3L, 0L), (third.Number!.Value, third.Crops!.Value, third.NewCrops!.Value));
        Assert.Equal(CatalogFlow.Start.AddHours(3), third.RequestedAt);
        Assert.Equal(Variants.All, third.Jobs.Select(j => j.Variant));
        Assert.Equal([JobStates.Queued, JobStates.Queued, JobStates.Running], third.Jobs.Select(j => j.State));
        var running = third.Jobs[2];
        Assert.Equal((60L, 200L, 0.7, "runner-a"), (running.Step, running.TotalSteps!.Value, running.Loss!.Value, running.Runner));
        Assert.All(status.Generations[1].Jobs, j => Assert.Equal((JobStates.Done, 200L, 0.125), (j.State, j.Step, j.Loss!.Value)));
        Assert.Equal("generations/gen-0002/distance/final", status.Generations[1].Jobs.Single(j => j.Variant == Variants.Distance).Checkpoint);

        Assert.Equal(["gen-0002", "gen-0001"], status.Evaluations.Select(e => e.GenerationId));
        var declined = status.Evaluations[0];
        Assert.Null(declined.Winner);
        Assert.Equal((1L, 3L), (declined.HeldOutCrops, declined.TrainingCrops));
        Assert.Equal(
            [("hot-distance", "challenger", 0.81), ("hot-distance", "champion", 0.78), ("one-hot", "challenger", 0.74), ("distance", "challenger", 0.69)],
            declined.Scores.Select(s => (s.Variant, s.Role, s.Overall)));
        Assert.Equal(0.81 + 0.05, declined.Scores[0].PerClass["mito"], 12);
        Assert.Equal(Variants.HotDistance, status.Evaluations[1].Winner);

        Assert.Equal([("gen-0001", PromotionOutcomes.Promoted), ("gen-0002", PromotionOutcomes.Declined)], status.Promotions.Select(p => (p.GenerationId, p.Outcome)));
        Assert.Equal("no challenger beats the champion by the margin", status.Promotions[1].Reason);
        var champion = status.Champion;
        Assert.NotNull(champion);
        Assert.Equal(("hd-segmentation", 1L, Variants.HotDistance, 0.81, "gen-0001"), (champion.ModelName, champion.Version!.Value, champion.Variant, champion.Overall!.Value, champion.GenerationId));

        Assert.Equal(
            [new SiteEntry("lab-a", "hd-segmentation", 1, "sha-1", CatalogFlow.Start.AddHours(2).AddMinutes(40)), new SiteEntry("lab-b", "hd-segmentation", 1, "sha-1", CatalogFlow.Start.AddHours(1).AddMinutes(32))],
            status.Sites);
        Assert.Equal(new[] { 1, 2, 3 }.Select(n => CatalogFlow.Nightly(n, null, null).NightKey), status.Nightly.Select(n => n.NightKey));
        Assert.Equal((0.70, 0.80, true, true), (status.Nightly[2].ChampionOverall, status.Nightly[2].BaselineOverall, status.Nightly[2].Regression, status.Nightly[2].RetrainingRequested));
        Assert.Equal([Variants.HotDistance, Variants.OneHot, Variants.Distance], declined.Comparisons.Select(c => c.Variant));
        Assert.Empty(status.Evaluations[1].Comparisons);

        Assert.Equal(1, status.SecurityEvents.Total);
        var refused = CatalogFlow.Refused(1);
        Assert.Equal(
            new SecurityEventEntry(refused.MessageType, refused.Consumer, refused.Subject, refused.Reason, refused.RefusedAt),
            Assert.Single(status.SecurityEvents.Latest));
    }

    [Fact]
    public async Task A_rollback_after_the_newest_promotion_makes_the_rolled_back_to_version_the_champion_until_the_next_promotion()
    {
        var catalog = (await CreateDatabaseAsync()).Open();
        foreach (var message in CatalogFlow.FullRun())
        {
            await CatalogFlow.RecordAsync(catalog, message);
        }

        await CatalogFlow.RecordAsync(catalog, CatalogFlow.Promoted(3, Variants.OneHot, 2, 0.84));
        var rollback = new ChampionRolledBack("hd-segmentation", 1, 2, "sha-1", "v2 splits nuclei", CatalogFlow.Start.AddHours(4));
        await CatalogFlow.RecordAsync(catalog, rollback);
        await CatalogFlow.RecordAsync(catalog, rollback);

        var status = await catalog.ReadStatusAsync(StatusLimits.Default, default);
        Assert.Equal(new RollbackEntry("hd-segmentation", 1, 2, "v2 splits nuclei", rollback.RolledBackAt), Assert.Single(status.Rollbacks));
        Assert.Equal((1L, Variants.HotDistance, "gen-0001"), (status.Champion!.Version!.Value, status.Champion.Variant, status.Champion.GenerationId));

        await CatalogFlow.RecordAsync(catalog, CatalogFlow.Promoted(5, Variants.Distance, 3, 0.86));
        Assert.Equal(3L, (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Champion!.Version);
    }

    [Fact]
    public async Task Recording_every_event_again_in_any_order_changes_nothing()
    {
        var catalog = (await CreateDatabaseAsync()).Open();
        var events = CatalogFlow.FullRun();
        foreach (var message in events)
        {
            await CatalogFlow.RecordAsync(catalog, message);
        }

        var before = await ReadJsonAsync(catalog);
        var curvesBefore = await ReadCurvesJsonAsync(catalog);

        // Redelivery, a replayed generation, messages overtaking each other: the rows must not move.
        foreach (var message in events.Reverse().Concat(events.OrderBy(e => e.GetHashCode())))
        {
            await CatalogFlow.RecordAsync(catalog, message);
        }

        Assert.Equal(before, await ReadJsonAsync(catalog));
        Assert.Equal(curvesBefore, await ReadCurvesJsonAsync(catalog));
    }

    [Fact]
    public async Task A_late_or_older_event_never_moves_a_job_backwards()
    {
        var catalog = (await CreateDatabaseAsync()).Open();
        var variant = Variants.OneHot;
        await catalog.RecordAsync(CatalogFlow.Progress(1, variant, 150, 0.3), CatalogFlow.Start, default);

        // Progress can overtake the request: the job exists, running, before its generation is known.
        var early = Assert.Single((await catalog.ReadStatusAsync(StatusLimits.Default, default)).Generations);
        Assert.Null(early.Number);
        Assert.Equal((JobStates.Running, 150L), (early.Jobs.Single().State, early.Jobs.Single().Step));

        foreach (var request in CatalogFlow.Requests(1, 2, 2))
        {
            await catalog.RecordAsync(request, default);
        }

        await catalog.RecordAsync(CatalogFlow.Progress(1, variant, 90, 0.6), CatalogFlow.Start.AddMinutes(1), default);
        var afterOlder = (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Generations.Single();
        Assert.Equal(1L, afterOlder.Number);
        var job = afterOlder.Jobs.Single(j => j.Variant == variant);
        Assert.Equal((JobStates.Running, 150L, 0.3), (job.State, job.Step, job.Loss!.Value));

        await catalog.RecordAsync(CatalogFlow.Trained(1, variant, 2), default);
        await catalog.RecordAsync(CatalogFlow.Progress(1, variant, 199, 0.2), CatalogFlow.Start.AddHours(9), default);
        foreach (var request in CatalogFlow.Requests(1, 2, 2))
        {
            await catalog.RecordAsync(request, default);
        }

        var done = (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Generations.Single().Jobs.Single(j => j.Variant == variant);
        Assert.Equal((JobStates.Done, 200L, 0.125, CatalogFlow.Start.AddHours(1).AddMinutes(20)), (done.State, done.Step, done.Loss!.Value, done.UpdatedAt));
    }

    [Fact]
    public async Task Creating_the_schema_again_or_from_several_clients_at_once_is_harmless()
    {
        var database = await CreateDatabaseAsync();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => database.Open().EnsureSchemaAsync(default)));
        var catalog = database.Open();
        await catalog.RecordAsync(CatalogFlow.Crop(1, "train", "mito"), default);

        await catalog.EnsureSchemaAsync(default);
        await database.Open().EnsureSchemaAsync(default);

        Assert.Equal(1, (await database.Open().ReadStatusAsync(StatusLimits.Default, default)).Crops.Total);
    }

    [Fact]
    public async Task Concurrent_writers_lose_no_row_and_keep_the_furthest_progress()
    {
        var database = await CreateDatabaseAsync();
        await database.Open().EnsureSchemaAsync(default);
        const int Writers = 4;
        const int CropsEach = 10;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            var catalog = database.Open();
            for (var i = 0; i < CropsEach; i++)
            {
                var index = writer * CropsEach + i + 1;
                await catalog.RecordAsync(CatalogFlow.Crop(index, index % 2 == 0 ? "train" : "heldout", "mito"), default);
                await catalog.RecordAsync(CatalogFlow.Progress(1, Variants.Distance, index, 1.0 / index), CatalogFlow.Start.AddSeconds(index), default);
            }
        })));

        var status = await database.Open().ReadStatusAsync(StatusLimits.Default, default);
        Assert.Equal(Writers * CropsEach, status.Crops.Total);
        Assert.Equal(Writers * CropsEach, status.Crops.ByClass.Where(c => c.ClassName == "mito").Sum(c => c.Crops));
        var job = status.Generations.Single().Jobs.Single();
        Assert.Equal(Writers * CropsEach, job.Step);
        Assert.Equal(1.0 / (Writers * CropsEach), job.Loss!.Value, 12);
    }

    [Fact]
    public async Task The_catalog_consumer_records_a_full_run_published_on_the_bus_even_when_each_event_comes_twice()
    {
        var database = await CreateDatabaseAsync();
        var services = new ServiceCollection();
        services.AddMassTransitTestHarness(bus =>
        {
            // Any() below gives up after a quiet spell as long as the inactivity timeout (1.2 s by default), which a
            // loaded machine can exceed between two deliveries; the wait still ends as soon as each message is seen.
            bus.SetTestTimeouts(testTimeout: TimeSpan.FromMinutes(2), testInactivityTimeout: TimeSpan.FromMinutes(1));
            CatalogRecording.Add(services, bus, database);
        });
        await using var provider = services.BuildServiceProvider(validateScopes: true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            var ids = new List<Guid>();
            foreach (var message in CatalogFlow.FullRun().Where(m => m is not TrainingProgressed).SelectMany(m => new[] { m, m }))
            {
                var id = NewId.NextGuid();
                ids.Add(id);
                await harness.Bus.Publish(message, message.GetType(), context => context.MessageId = id);
            }

            var consumer = harness.GetConsumerHarness<CatalogConsumer>();
            foreach (var id in ids)
            {
                Assert.True(await consumer.Consumed.Any(m => m.Context.MessageId == id), $"message {id} was not consumed");
            }

            // Every message is in; the check below need not wait out the long quiet spell set above.
            harness.ForceInactive();
            Assert.DoesNotContain(consumer.Consumed.Select(_ => true), m => m.Exception is not null);
        }
        finally
        {
            await harness.Stop();
        }

        // The same run recorded directly is the reference (progress left out: it carries the bus's send time).
        var reference = (await CreateDatabaseAsync()).Open();
        foreach (var message in CatalogFlow.FullRun().Where(m => m is not TrainingProgressed))
        {
            await CatalogFlow.RecordAsync(reference, message);
        }

        var recorded = provider.GetRequiredService<IPipelineCatalog>();
        Assert.Equal(await ReadJsonAsync(reference), await ReadJsonAsync(recorded));
        var status = await recorded.ReadStatusAsync(StatusLimits.Default, default);
        Assert.Equal(4, status.Crops.Total);
        Assert.Equal("gen-0001", status.Champion?.GenerationId);
    }

    [Fact]
    public async Task A_failed_job_shows_its_reason_until_a_retry_moves_it_on()
    {
        var catalog = (await CreateDatabaseAsync()).Open();
        var request = CatalogFlow.Requests(1, 2, 2).First();
        foreach (var each in CatalogFlow.Requests(1, 2, 2))
        {
            await catalog.RecordAsync(each, default);
        }

        await catalog.RecordAsync(CatalogFlow.Progress(1, request.Variant, 120, 0.4), CatalogFlow.Start, default);
        await catalog.RecordFailureAsync(request, "System.OutOfMemoryException: CUDA out of memory", CatalogFlow.Start.AddMinutes(1), default);
        var failed = (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Generations.Single();
        Assert.Equal(GenerationStates.Failed, failed.State);
        var job = failed.Jobs.Single(j => j.Variant == request.Variant);
        Assert.Equal((JobStates.Failed, 120L, "System.OutOfMemoryException: CUDA out of memory"), (job.State, job.Step, job.Failure));

        // The message moved back from the error queue: the retry's progress replaces the failure, and so does its end.
        await catalog.RecordAsync(CatalogFlow.Progress(1, request.Variant, 130, 0.35), CatalogFlow.Start.AddMinutes(5), default);
        var retried = (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Generations.Single().Jobs.Single(j => j.Variant == request.Variant);
        Assert.Equal((JobStates.Running, 130L, (string?)null), (retried.State, retried.Step, retried.Failure));

        await catalog.RecordAsync(CatalogFlow.Trained(1, request.Variant, 2), default);
        await catalog.RecordFailureAsync(request, "a late fault", CatalogFlow.Start.AddHours(9), default);
        var done = (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Generations.Single().Jobs.Single(j => j.Variant == request.Variant);
        Assert.Equal((JobStates.Done, (string?)null), (done.State, done.Failure));
    }

    [Fact]
    public async Task A_retried_job_shows_retrying_and_a_stalled_generation_waiting_until_the_step_they_wait_for_happens()
    {
        var catalog = (await CreateDatabaseAsync()).Open();
        foreach (var each in CatalogFlow.Requests(1, 2, 2))
        {
            await catalog.RecordAsync(each, default);
        }

        const string variant = Variants.Distance;
        await catalog.RecordAsync(CatalogFlow.Progress(1, variant, 120, 0.4), CatalogFlow.Start.AddHours(2), default);
        await catalog.RecordAsync(Retrying(variant, attempt: 2, CatalogFlow.Start.AddHours(3)), default);
        await catalog.RecordAsync(Retrying(variant, attempt: 1, CatalogFlow.Start.AddHours(2.5)), default); // overtaken by the newer one
        var retrying = (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Generations.Single();
        Assert.Equal(GenerationStates.Training, retrying.State);
        var job = retrying.Jobs.Single(j => j.Variant == variant);
        Assert.Equal((JobStates.Retrying, 120L, "attempt 2 of 6 failed: IOException: the share is away"), (job.State, job.Step, job.Failure));

        // The retry's progress moves the job on and clears the reason.
        await catalog.RecordAsync(CatalogFlow.Progress(1, variant, 130, 0.35), CatalogFlow.Start.AddHours(4), default);
        job = (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Generations.Single().Jobs.Single(j => j.Variant == variant);
        Assert.Equal((JobStates.Running, 130L, (string?)null), (job.State, job.Step, job.Failure));

        foreach (var each in Variants.All)
        {
            await catalog.RecordAsync(CatalogFlow.Trained(1, each, 2), default);
        }

        await catalog.RecordAsync(Retrying(variant, attempt: 3, CatalogFlow.Start.AddHours(5)), default); // after its end: changes nothing
        await catalog.RecordAsync(new GenerationStalled(CatalogFlow.GenerationId(1), GenerationStages.Evaluation, "MlflowApiException: no answer", CatalogFlow.Start.AddHours(6)), default);
        var waiting = (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Generations.Single();
        Assert.Equal(GenerationStates.Waiting, waiting.State);
        Assert.Equal((GenerationStages.Evaluation, "MlflowApiException: no answer"), (waiting.Stall?.Stage, waiting.Stall?.Reason));
        Assert.All(waiting.Jobs, j => Assert.Equal(JobStates.Done, j.State));

        // Evaluated at last: the evaluation's stall is over; then the promotion stalls, until the decision.
        await catalog.RecordAsync(CatalogFlow.Evaluation(1, Variants.HotDistance, 2, 2), default);
        var evaluated = (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Generations.Single();
        Assert.Equal((GenerationStates.Evaluated, (GenerationStall?)null), (evaluated.State, evaluated.Stall));
        await catalog.RecordAsync(new GenerationStalled(CatalogFlow.GenerationId(1), GenerationStages.Promotion, "MlflowApiException: 503", CatalogFlow.Start.AddHours(7)), default);
        Assert.Equal(GenerationStates.Waiting, (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Generations.Single().State);
        await catalog.RecordAsync(CatalogFlow.Promoted(1, Variants.HotDistance, 1, 0.8), default);
        var promoted = (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Generations.Single();
        Assert.Equal((GenerationStates.Promoted, (GenerationStall?)null), (promoted.State, promoted.Stall));
    }

    [Fact]
    public async Task Loss_curves_hold_each_running_variants_reported_steps_in_step_order_the_first_report_of_a_step_and_no_non_finite_loss_until_the_job_is_done()
    {
        var catalog = (await CreateDatabaseAsync()).Open();
        foreach (var request in CatalogFlow.Requests(1, 2, 2))
        {
            await catalog.RecordAsync(request, default);
        }

        // Reports overtaking each other, one redelivered, one of another generation.
        (string Variant, int Step, double Loss)[] reports =
        [
            (Variants.Distance, 30, 0.3), (Variants.Distance, 10, 0.9), (Variants.OneHot, 10, 0.8), (Variants.Distance, 20, 0.5), (Variants.Distance, 30, 0.3),
        ];
        foreach (var (variant, step, loss) in reports)
        {
            await catalog.RecordAsync(CatalogFlow.Progress(1, variant, step, loss), CatalogFlow.Start.AddSeconds(step), default);
        }

        await catalog.RecordAsync(CatalogFlow.Progress(2, Variants.Distance, 15, 0.7), CatalogFlow.Start, default);

        // A retried attempt reporting a step again keeps the first report. A finished job's points go (its checkpoint
        // holds its whole curve), and a report arriving after its end is not kept.
        await catalog.RecordAsync(CatalogFlow.Progress(1, Variants.Distance, 20, 0.45), CatalogFlow.Start.AddHours(1), default);
        Assert.Equal([new LossPoint(10, 0.8)], (await catalog.ReadLossCurvesAsync(CatalogFlow.GenerationId(1), default))[Variants.OneHot]);
        await catalog.RecordAsync(CatalogFlow.Trained(1, Variants.OneHot, 2), default);
        await catalog.RecordAsync(CatalogFlow.Progress(1, Variants.OneHot, 190, 0.2), CatalogFlow.Start.AddHours(9), default);

        // A NaN moves the job on but is no point of the curve (and no loss of the job).
        await catalog.RecordAsync(CatalogFlow.Progress(1, Variants.Distance, 40, double.NaN), CatalogFlow.Start.AddHours(2), default);

        var curves = await catalog.ReadLossCurvesAsync(CatalogFlow.GenerationId(1), default);

        Assert.Equal([Variants.Distance], curves.Keys);
        Assert.Equal([new LossPoint(10, 0.9), new LossPoint(20, 0.5), new LossPoint(30, 0.3)], curves[Variants.Distance]);
        Assert.Equal([new LossPoint(15, 0.7)], Assert.Single(await catalog.ReadLossCurvesAsync(CatalogFlow.GenerationId(2), default)).Value);
        Assert.Empty(await catalog.ReadLossCurvesAsync("gen-unknown", default));
        var job = (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Generations.Single(g => g.Number == 1).Jobs.Single(j => j.Variant == Variants.Distance);
        Assert.Equal((40L, (double?)null), (job.Step, job.Loss));
    }

    [Fact]
    public async Task An_evaluation_carries_its_decisions_comparisons_margin_and_confidence_level_recorded_once()
    {
        var catalog = (await CreateDatabaseAsync()).Open();
        var withoutChampion = CatalogFlow.Evaluation(1, Variants.HotDistance, 1, 2);
        var declined = CatalogFlow.Evaluation(2, null, 1, 3);
        var promoted = CatalogFlow.Evaluation(3, Variants.HotDistance, 1, 3);
        var withoutDecision = CatalogFlow.Evaluation(4, null, 1, 3) with { Decision = null };
        foreach (var evaluation in new[] { withoutChampion, declined, promoted, withoutDecision, declined, promoted })
        {
            await catalog.RecordAsync(evaluation, default);
        }

        var evaluations = (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Evaluations.ToDictionary(e => e.GenerationNumber);

        // Best challenger first, as the scores; every number as the decision had it.
        Assert.Equal(
            [
                new ComparisonEntry(Variants.HotDistance, 0.81, 0.78, 0.81 - 0.78, -0.004, 0.066, false),
                new ComparisonEntry(Variants.OneHot, 0.74, 0.78, 0.74 - 0.78, -0.071, -0.012, false),
                new ComparisonEntry(Variants.Distance, 0.69, 0.78, 0.69 - 0.78, -0.14, -0.05, false),
            ],
            evaluations[2].Comparisons);
        Assert.Equal((0.01, 0.9), (evaluations[2].Margin, evaluations[2].ConfidenceLevel));
        Assert.Equal(
            [(Variants.HotDistance, true), (Variants.OneHot, false), (Variants.Distance, false)],
            evaluations[3].Comparisons.Select(c => (c.Variant, c.ClearsMargin)));

        // No champion to compare with: the decision's settings, no comparisons. No decision: neither.
        Assert.Equal((0, 0.01, 0.9), (evaluations[1].Comparisons.Count, evaluations[1].Margin, evaluations[1].ConfidenceLevel));
        Assert.Equal((0, (double?)null, (double?)null), (evaluations[4].Comparisons.Count, evaluations[4].Margin, evaluations[4].ConfidenceLevel));
    }

    [Fact]
    public async Task Nightly_entries_are_the_newest_nights_oldest_first_and_a_night_run_again_keeps_its_later_run()
    {
        var catalog = (await CreateDatabaseAsync()).Open();
        var rerun = CatalogFlow.Nightly(3, 0.79, 0.80, completedAt: CatalogFlow.Start.AddDays(4)) with { Summary = "night 3, run again after a crash" };
        var first = CatalogFlow.Nightly(3, 0.70, 0.80, regression: true);
        foreach (var night in new[] { CatalogFlow.Nightly(4, 0.72, 0.70), CatalogFlow.Nightly(1, null, null), first, rerun, CatalogFlow.Nightly(2, 0.80, null), first })
        {
            await catalog.RecordAsync(night, default);
        }

        var all = (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Nightly;
        var newest = (await catalog.ReadStatusAsync(StatusLimits.Default with { Nightly = 2 }, default)).Nightly;

        Assert.Equal(new[] { 1, 2, 3, 4 }.Select(n => CatalogFlow.Nightly(n, null, null).NightKey), all.Select(n => n.NightKey));
        Assert.Equal(all.TakeLast(2), newest);
        var expected = CatalogFlow.Nightly(2, 0.80, null);
        Assert.Equal(
            new NightlyEntry(expected.NightKey, expected.ScheduledFor, 0.80, null, false, false, expected.Summary, expected.CompletedAt),
            all[1]);
        Assert.Equal(
            new NightlyEntry(rerun.NightKey, rerun.ScheduledFor, 0.79, 0.80, false, false, "night 3, run again after a crash", CatalogFlow.Start.AddDays(4)),
            all[2]);
        Assert.Equal((null, null), (all[0].ChampionOverall, all[0].BaselineOverall));

        await catalog.RecordAsync(CatalogFlow.Nightly(5, 0.60, 0.72, regression: true), default);
        var regressed = (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Nightly[^1];
        Assert.Equal((true, true), (regressed.Regression, regressed.RetrainingRequested));
    }

    [Fact]
    public async Task A_site_shows_its_newest_report_and_a_late_older_report_never_moves_it_back()
    {
        var catalog = (await CreateDatabaseAsync()).Open();
        var newest = CatalogFlow.SiteReport("site-b", 2, CatalogFlow.Start.AddHours(2));
        var older = CatalogFlow.SiteReport("site-b", 1, CatalogFlow.Start.AddHours(1));
        foreach (var report in new[] { newest, CatalogFlow.SiteReport("site-c", 1, CatalogFlow.Start), CatalogFlow.SiteReport("site-a", 1, CatalogFlow.Start), newest, older })
        {
            await catalog.RecordAsync(report, default);
        }

        var sites = (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Sites;
        Assert.Equal(["site-a", "site-b", "site-c"], sites.Select(s => s.Site));
        Assert.Equal(new SiteEntry("site-b", "hd-segmentation", 2, "sha-2", newest.ReportedAt), sites[1]);

        // Rolled back: a newer report of an older version is news.
        await catalog.RecordAsync(CatalogFlow.SiteReport("site-b", 1, CatalogFlow.Start.AddHours(3)), default);
        var rolledBack = (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Sites[1];
        Assert.Equal(("site-b", 1, "sha-1"), (rolledBack.Site, rolledBack.Version, rolledBack.Sha256));
    }

    private static TrainingRetrying Retrying(string variant, int attempt, DateTimeOffset failedAt) =>
        new(CatalogFlow.GenerationId(1), variant, attempt, 6, "IOException: the share is away", "runner-a", failedAt);

    [Fact]
    public async Task A_trainer_that_gives_up_is_recorded_from_MassTransits_fault_event()
    {
        var database = await CreateDatabaseAsync();
        var services = new ServiceCollection();
        services.AddMassTransitTestHarness(bus =>
        {
            CatalogRecording.Add(services, bus, database);
            bus.AddConsumer<FailingTrainer>();
        });
        await using var provider = services.BuildServiceProvider(validateScopes: true);
        var harness = provider.GetRequiredService<ITestHarness>();
        var catalog = provider.GetRequiredService<IPipelineCatalog>();
        var request = CatalogFlow.Requests(1, 2, 2).First();
        JobStatus? job = null;
        await harness.Start();
        try
        {
            await harness.Bus.Publish(request);

            // Waited for in the catalog itself: the harness's own wait gives up after a short quiet spell, which a
            // loaded machine can exceed between the trainer's failure and the fault's recording.
            await Eventually.Until(
                async () => (job = (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Generations.SingleOrDefault()?.Jobs.SingleOrDefault(j => j.Variant == request.Variant))?.State == JobStates.Failed,
                TimeSpan.FromMinutes(1),
                "the catalog to record the trainer's fault",
                () => $"the job is {job?.State ?? "not recorded"}");
        }
        finally
        {
            await harness.Stop();
        }

        Assert.Equal($"System.InvalidOperationException: {FailingTrainer.Reason}", job!.Failure);
    }

    private sealed class FailingTrainer : IConsumer<TrainingRequested>
    {
        public const string Reason = "crop cells-crop1 is not in the store";

        public Task Consume(ConsumeContext<TrainingRequested> context) => throw new InvalidOperationException(Reason);
    }

    private static async Task<string> ReadJsonAsync(IPipelineCatalog catalog) =>
        JsonSerializer.Serialize(await catalog.ReadStatusAsync(StatusLimits.Default, default));

    private static async Task<string> ReadCurvesJsonAsync(IPipelineCatalog catalog)
    {
        var generations = (await catalog.ReadStatusAsync(StatusLimits.Default, default)).Generations.Select(g => g.GenerationId).Order(StringComparer.Ordinal);
        var curves = new SortedDictionary<string, SortedDictionary<string, IReadOnlyList<LossPoint>>>(StringComparer.Ordinal);
        foreach (var generation in generations)
        {
            curves[generation] = new(new Dictionary<string, IReadOnlyList<LossPoint>>(await catalog.ReadLossCurvesAsync(generation, default)), StringComparer.Ordinal);
        }

        return JsonSerializer.Serialize(curves);
    }
}
