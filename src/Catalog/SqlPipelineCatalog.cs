using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using HotDistance.Catalog.Rows;
using HotDistance.Catalog.Status;
using HotDistance.Contracts;

namespace HotDistance.Catalog;

/// <summary>
/// The catalog's one set of SQL, shared by <see cref="SqliteCatalog"/> and <see cref="PostgresCatalog"/>: both
/// speak <c>INSERT ... ON CONFLICT ... DO UPDATE ... WHERE</c>, so every upsert is a single statement that
/// either changes a row forward or leaves it alone. Subclasses supply connections and the migration lock.
/// The schema is created on first use (and retried after a failure), so a host starts even while the catalog's
/// database is down; only the recording waits.
/// </summary>
public abstract class SqlPipelineCatalog : IPipelineCatalog
{
    private const string GenerationOrder = "COALESCE(number, 2147483647) DESC, generation_id DESC";
    private const string EvaluationOrder = "generation_number DESC, completed_at DESC";

    private readonly Lock schemaGate = new();
    private Task? schema;

    public abstract string Description { get; }

    /// <summary>Opens a connection ready for use (pragmas applied).</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Runs before the migration transaction (SQLite switches to WAL there).</summary>
    protected virtual Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Serialises migrations across processes inside <paramref name="transaction"/>.</summary>
    protected virtual Task LockMigrationsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await PrepareAsync(connection, cancellationToken).ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await LockMigrationsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                await Execute(connection, transaction, CatalogSchema.MigrationsTable, null, cancellationToken).ConfigureAwait(false);
                var applied = (await connection.QueryAsync<long>(
                    new CommandDefinition("SELECT version FROM schema_migrations", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToHashSet();
                foreach (var (version, statements) in CatalogSchema.Migrations.Where(m => !applied.Contains(m.Version)))
                {
                    foreach (var statement in statements)
                    {
                        await Execute(connection, transaction, statement, null, cancellationToken).ConfigureAwait(false);
                    }

                    await Execute(
                        connection,
                        transaction,
                        "INSERT INTO schema_migrations (version, applied_at) VALUES (@Version, @AppliedAt)",
                        new { Version = version, AppliedAt = CatalogTime.Write(DateTimeOffset.UtcNow) },
                        cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task RecordAsync(CropIngested crop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(crop);
        return WriteAsync(
            async (connection, transaction) =>
            {
                await Execute(
                    connection,
                    transaction,
                    """
                    INSERT INTO crops (content_hash, crop_id, name, split, shape, voxel_size_nm, store_path, ingested_at)
                    VALUES (@ContentHash, @CropId, @Name, @Split, @Shape, @VoxelSize, @StorePath, @IngestedAt)
                    ON CONFLICT (content_hash) DO NOTHING
                    """,
                    new
                    {
                        crop.ContentHash,
                        crop.CropId,
                        crop.Name,
                        crop.Split,
                        Shape = string.Join(',', crop.Shape.Select(s => s.ToString(CultureInfo.InvariantCulture))),
                        VoxelSize = string.Join(',', crop.VoxelSizeNm.Select(s => s.ToString("R", CultureInfo.InvariantCulture))),
                        crop.StorePath,
                        IngestedAt = CatalogTime.Write(crop.IngestedAt),
                    },
                    cancellationToken).ConfigureAwait(false);
                foreach (var className in crop.Classes.Distinct(StringComparer.Ordinal))
                {
                    await Execute(
                        connection,
                        transaction,
                        "INSERT INTO crop_classes (content_hash, class_name) VALUES (@ContentHash, @ClassName) ON CONFLICT (content_hash, class_name) DO NOTHING",
                        new { crop.ContentHash, ClassName = className },
                        cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken);
    }

    public Task RecordAsync(CropRejected rejection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return WriteAsync(
            (connection, transaction) => Execute(
                connection,
                transaction,
                """
                INSERT INTO crop_rejections (quarantine_path, source, reason, rejected_at)
                VALUES (@QuarantinePath, @Source, @Reason, @RejectedAt)
                ON CONFLICT (quarantine_path) DO NOTHING
                """,
                new { rejection.QuarantinePath, rejection.Source, rejection.Reason, RejectedAt = CatalogTime.Write(rejection.RejectedAt) },
                cancellationToken),
            cancellationToken);
    }

    public Task RecordAsync(ChampionRolledBack rollback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollback);
        return WriteAsync(
            (connection, transaction) => Execute(
                connection,
                transaction,
                """
                INSERT INTO rollbacks (model_name, version, from_version, reason, rolled_back_at)
                VALUES (@ModelName, @Version, @FromVersion, @Reason, @RolledBackAt)
                ON CONFLICT (model_name, rolled_back_at) DO NOTHING
                """,
                new { rollback.ModelName, rollback.Version, rollback.FromVersion, rollback.Reason, RolledBackAt = CatalogTime.Write(rollback.RolledBackAt) },
                cancellationToken),
            cancellationToken);
    }

    public Task RecordAsync(MessageRefused refused, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refused);
        return WriteAsync(
            (connection, transaction) => Execute(
                connection,
                transaction,
                """
                INSERT INTO security_events (message_id, consumer, message_type, subject, reason, refused_at)
                VALUES (@MessageId, @Consumer, @MessageType, @Subject, @Reason, @RefusedAt)
                ON CONFLICT (message_id, consumer) DO NOTHING
                """,
                new { refused.MessageId, refused.Consumer, refused.MessageType, refused.Subject, refused.Reason, RefusedAt = CatalogTime.Write(refused.RefusedAt) },
                cancellationToken),
            cancellationToken);
    }

    public Task RecordAsync(TrainingRequested request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WriteAsync(
            async (connection, transaction) =>
            {
                // The planner sends one request per variant; the first to arrive fills the generation in.
                await Execute(
                    connection,
                    transaction,
                    """
                    INSERT INTO generations (generation_id, number, crop_count, new_crop_count, requested_at)
                    VALUES (@GenerationId, @Number, @Crops, @NewCrops, @RequestedAt)
                    ON CONFLICT (generation_id) DO UPDATE SET
                        number = excluded.number, crop_count = excluded.crop_count,
                        new_crop_count = excluded.new_crop_count, requested_at = excluded.requested_at
                    WHERE generations.requested_at IS NULL
                    """,
                    new
                    {
                        request.GenerationId,
                        Number = (long)request.GenerationNumber,
                        Crops = (long)request.TrainingCropIds.Count,
                        NewCrops = (long)request.NewCropIds.Count,
                        RequestedAt = CatalogTime.Write(request.RequestedAt),
                    },
                    cancellationToken).ConfigureAwait(false);
                await QueueJobsAsync(connection, transaction, request.GenerationId, [request.Variant, .. request.Variants], request.RequestedAt, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    public Task RecordAsync(TrainingProgressed progress, DateTimeOffset observedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return WriteAsync(
            async (connection, transaction) =>
            {
                await EnsureGenerationAsync(connection, transaction, progress.GenerationId, null, null, cancellationToken).ConfigureAwait(false);

                // Only a later step moves a running job on; a report that overtook the job's end is dropped.
                await Execute(
                    connection,
                    transaction,
                    """
                    INSERT INTO jobs (generation_id, variant, state, state_rank, step, total_steps, loss, steps_per_second, runner, updated_at)
                    VALUES (@GenerationId, @Variant, @State, @Rank, @Step, @TotalSteps, @Loss, @StepsPerSecond, @Runner, @UpdatedAt)
                    ON CONFLICT (generation_id, variant) DO UPDATE SET
                        state = excluded.state, state_rank = excluded.state_rank, step = excluded.step,
                        total_steps = excluded.total_steps, loss = excluded.loss, steps_per_second = excluded.steps_per_second,
                        runner = excluded.runner, updated_at = excluded.updated_at, failure = NULL
                    WHERE jobs.state_rank < @DoneRank AND (jobs.state_rank < excluded.state_rank OR jobs.step < excluded.step)
                    """,
                    new
                    {
                        progress.GenerationId,
                        progress.Variant,
                        State = JobStates.Running,
                        Rank = (long)JobStates.RunningRank,
                        Step = (long)progress.Step,
                        TotalSteps = (long)progress.TotalSteps,
                        Loss = FiniteOrNull(progress.Loss),
                        progress.StepsPerSecond,
                        progress.Runner,
                        UpdatedAt = CatalogTime.Write(observedAt),
                        DoneRank = (long)JobStates.DoneRank,
                    },
                    cancellationToken).ConfigureAwait(false);

                // The curve keeps every step's first report, one overtaken by a later step too (it is still that
                // step's loss), until the job is done: a finished job's whole history is in its checkpoint, so its
                // points are dropped then (RecordAsync(ModelTrained)) and a report arriving later is not kept. The
                // trainer reports only finite losses; a NaN from elsewhere has no place on a curve.
                if (double.IsFinite(progress.Loss))
                {
                    await Execute(
                        connection,
                        transaction,
                        """
                        INSERT INTO job_progress (generation_id, variant, step, loss, observed_at)
                        SELECT @GenerationId, @Variant, @Step, @Loss, @ObservedAt
                        WHERE NOT EXISTS (
                            SELECT 1 FROM jobs WHERE generation_id = @GenerationId AND variant = @Variant AND state_rank >= @DoneRank)
                        ON CONFLICT (generation_id, variant, step) DO NOTHING
                        """,
                        new { progress.GenerationId, progress.Variant, Step = (long)progress.Step, progress.Loss, ObservedAt = CatalogTime.Write(observedAt), DoneRank = (long)JobStates.DoneRank },
                        cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken);
    }

    public Task RecordAsync(TrainingRetrying retrying, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retrying);
        return WriteAsync(
            async (connection, transaction) =>
            {
                await EnsureGenerationAsync(connection, transaction, retrying.GenerationId, null, null, cancellationToken).ConfigureAwait(false);

                // Newer news only: a retry report that overtook the job's end, its fault or a later retry changes nothing.
                await Execute(
                    connection,
                    transaction,
                    """
                    INSERT INTO jobs (generation_id, variant, state, state_rank, step, runner, updated_at, failure)
                    VALUES (@GenerationId, @Variant, @State, @Rank, 0, @Runner, @UpdatedAt, @Failure)
                    ON CONFLICT (generation_id, variant) DO UPDATE SET
                        state = excluded.state, state_rank = excluded.state_rank, runner = excluded.runner,
                        updated_at = excluded.updated_at, failure = excluded.failure
                    WHERE jobs.state_rank < @DoneRank AND jobs.updated_at < excluded.updated_at
                    """,
                    new
                    {
                        retrying.GenerationId,
                        retrying.Variant,
                        State = JobStates.Retrying,
                        Rank = (long)JobStates.RunningRank,
                        retrying.Runner,
                        UpdatedAt = CatalogTime.Write(retrying.FailedAt),
                        Failure = $"attempt {retrying.Attempt} of {retrying.Attempts} failed: {retrying.Reason}",
                        DoneRank = (long)JobStates.DoneRank,
                    },
                    cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    public Task RecordAsync(GenerationStalled stalled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stalled);
        return WriteAsync(
            async (connection, transaction) =>
            {
                await EnsureGenerationAsync(connection, transaction, stalled.GenerationId, null, null, cancellationToken).ConfigureAwait(false);
                await Execute(
                    connection,
                    transaction,
                    """
                    INSERT INTO generation_stalls (generation_id, stage, reason, stalled_at)
                    VALUES (@GenerationId, @Stage, @Reason, @StalledAt)
                    ON CONFLICT (generation_id, stage) DO UPDATE SET reason = excluded.reason, stalled_at = excluded.stalled_at
                    WHERE generation_stalls.stalled_at < excluded.stalled_at
                    """,
                    new { stalled.GenerationId, stalled.Stage, stalled.Reason, StalledAt = CatalogTime.Write(stalled.StalledAt) },
                    cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    public Task RecordFailureAsync(TrainingRequested request, string failure, DateTimeOffset failedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WriteAsync(
            async (connection, transaction) =>
            {
                await EnsureGenerationAsync(connection, transaction, request.GenerationId, request.GenerationNumber, request.TrainingCropIds.Count, cancellationToken).ConfigureAwait(false);
                await QueueJobsAsync(connection, transaction, request.GenerationId, [request.Variant, .. request.Variants], request.RequestedAt, cancellationToken).ConfigureAwait(false);
                await Execute(
                    connection,
                    transaction,
                    """
                    UPDATE jobs SET state = @State, state_rank = @Rank, failure = @Failure, updated_at = @UpdatedAt
                    WHERE generation_id = @GenerationId AND variant = @Variant AND state_rank < @DoneRank
                    """,
                    new
                    {
                        request.GenerationId,
                        request.Variant,
                        State = JobStates.Failed,
                        Rank = (long)JobStates.RunningRank,
                        Failure = failure,
                        UpdatedAt = CatalogTime.Write(failedAt),
                        DoneRank = (long)JobStates.DoneRank,
                    },
                    cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    public Task RecordAsync(ModelTrained trained, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trained);
        return WriteAsync(
            async (connection, transaction) =>
            {
                await EnsureGenerationAsync(connection, transaction, trained.GenerationId, trained.GenerationNumber, trained.TrainingCropIds.Count, cancellationToken).ConfigureAwait(false);
                await QueueJobsAsync(connection, transaction, trained.GenerationId, trained.Variants, trained.TrainedAt, cancellationToken).ConfigureAwait(false);
                await Execute(
                    connection,
                    transaction,
                    """
                    INSERT INTO jobs (generation_id, variant, state, state_rank, step, total_steps, loss, runner, checkpoint_path, checkpoint_sha256, updated_at)
                    VALUES (@GenerationId, @Variant, @State, @Rank, @Steps, @Steps, @FinalLoss, @Runner, @Checkpoint, @CheckpointSha256, @UpdatedAt)
                    ON CONFLICT (generation_id, variant) DO UPDATE SET
                        state = excluded.state, state_rank = excluded.state_rank, step = excluded.step,
                        total_steps = excluded.total_steps, loss = excluded.loss, runner = excluded.runner,
                        checkpoint_path = excluded.checkpoint_path, checkpoint_sha256 = excluded.checkpoint_sha256,
                        updated_at = excluded.updated_at, failure = NULL
                    WHERE jobs.state_rank < excluded.state_rank
                    """,
                    new
                    {
                        trained.GenerationId,
                        trained.Variant,
                        State = JobStates.Done,
                        Rank = (long)JobStates.DoneRank,
                        Steps = (long)trained.Steps,
                        FinalLoss = FiniteOrNull(trained.FinalLoss),
                        trained.Runner,
                        trained.Checkpoint,
                        trained.CheckpointSha256,
                        UpdatedAt = CatalogTime.Write(trained.TrainedAt),
                    },
                    cancellationToken).ConfigureAwait(false);

                // Progress reports come once a second for as long as a job trains; kept for every finished job they
                // would grow the catalog without end, and its checkpoint holds the whole curve.
                await Execute(
                    connection,
                    transaction,
                    "DELETE FROM job_progress WHERE generation_id = @GenerationId AND variant = @Variant",
                    new { trained.GenerationId, trained.Variant },
                    cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    public Task RecordAsync(EvaluationCompleted evaluation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return WriteAsync(
            async (connection, transaction) =>
            {
                await EnsureGenerationAsync(connection, transaction, evaluation.GenerationId, evaluation.GenerationNumber, evaluation.TrainingCropIds.Count, cancellationToken).ConfigureAwait(false);
                await Execute(
                    connection,
                    transaction,
                    """
                    INSERT INTO evaluations (generation_id, evaluation_id, generation_number, winner_variant, reason, held_out_crops, training_crops, report_path, completed_at,
                                             margin, confidence_level)
                    VALUES (@GenerationId, @EvaluationId, @GenerationNumber, @Winner, @Reason, @HeldOut, @Training, @ReportPath, @CompletedAt,
                            @Margin, @ConfidenceLevel)
                    ON CONFLICT (generation_id) DO NOTHING
                    """,
                    new
                    {
                        evaluation.GenerationId,
                        evaluation.EvaluationId,
                        GenerationNumber = (long)evaluation.GenerationNumber,
                        Winner = evaluation.Winner?.Variant,
                        evaluation.Reason,
                        HeldOut = (long)evaluation.HeldOutCropIds.Count,
                        Training = (long)evaluation.TrainingCropIds.Count,
                        evaluation.ReportPath,
                        CompletedAt = CatalogTime.Write(evaluation.CompletedAt),
                        evaluation.Decision?.Margin,
                        evaluation.Decision?.ConfidenceLevel,
                    },
                    cancellationToken).ConfigureAwait(false);
                foreach (var comparison in evaluation.Decision?.Comparisons ?? [])
                {
                    await Execute(
                        connection,
                        transaction,
                        """
                        INSERT INTO evaluation_comparisons (generation_id, variant, overall, champion_overall, difference, interval_lower, interval_upper, clears_margin)
                        VALUES (@GenerationId, @Variant, @Overall, @ChampionOverall, @Difference, @IntervalLower, @IntervalUpper, @ClearsMargin)
                        ON CONFLICT (generation_id, variant) DO NOTHING
                        """,
                        new
                        {
                            evaluation.GenerationId,
                            comparison.Variant,
                            comparison.Overall,
                            comparison.ChampionOverall,
                            comparison.Difference,
                            comparison.IntervalLower,
                            comparison.IntervalUpper,
                            ClearsMargin = Flag(comparison.ClearsMargin),
                        },
                        cancellationToken).ConfigureAwait(false);
                }

                foreach (var score in evaluation.Scores)
                {
                    await Execute(
                        connection,
                        transaction,
                        """
                        INSERT INTO evaluation_scores (generation_id, variant, role, overall, per_class)
                        VALUES (@GenerationId, @Variant, @Role, @Overall, @PerClass)
                        ON CONFLICT (generation_id, variant, role) DO NOTHING
                        """,
                        new
                        {
                            evaluation.GenerationId,
                            score.Variant,
                            score.Role,
                            score.Overall,
                            PerClass = JsonSerializer.Serialize(new SortedDictionary<string, double>(score.PerClass.ToDictionary(), StringComparer.Ordinal)),
                        },
                        cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken);
    }

    public Task RecordAsync(ModelPromoted promotion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(promotion);
        return InsertPromotionAsync(
            new PromotionRow
            {
                GenerationId = promotion.GenerationId,
                Outcome = PromotionOutcomes.Promoted,
                ModelName = promotion.ModelName,
                Version = promotion.Version,
                Variant = promotion.Variant,
                Overall = promotion.Overall,
                ModelUri = promotion.ModelUri,
                DecidedAt = CatalogTime.Write(promotion.PromotedAt),
            },
            promotion.Sha256,
            cancellationToken);
    }

    public Task RecordAsync(PromotionDeclined declined, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(declined);
        return InsertPromotionAsync(
            new PromotionRow
            {
                GenerationId = declined.GenerationId,
                Outcome = PromotionOutcomes.Declined,
                Reason = declined.Reason,
                DecidedAt = CatalogTime.Write(declined.DeclinedAt),
            },
            null,
            cancellationToken);
    }

    public Task RecordAsync(NightlyEvaluationCompleted nightly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nightly);

        // A night runs once, but an evaluator killed after publishing runs it again: the later run stands, whichever
        // of the two arrives first.
        return WriteAsync(
            (connection, transaction) => Execute(
                connection,
                transaction,
                """
                INSERT INTO nightly_evaluations (night_key, scheduled_for, champion_overall, baseline_overall, regression, retraining_requested, summary, completed_at)
                VALUES (@NightKey, @ScheduledFor, @ChampionOverall, @BaselineOverall, @Regression, @RetrainingRequested, @Summary, @CompletedAt)
                ON CONFLICT (night_key) DO UPDATE SET
                    scheduled_for = excluded.scheduled_for, champion_overall = excluded.champion_overall,
                    baseline_overall = excluded.baseline_overall, regression = excluded.regression,
                    retraining_requested = excluded.retraining_requested, summary = excluded.summary, completed_at = excluded.completed_at
                WHERE nightly_evaluations.completed_at < excluded.completed_at
                """,
                new
                {
                    nightly.NightKey,
                    ScheduledFor = CatalogTime.Write(nightly.ScheduledFor),
                    nightly.ChampionOverall,
                    nightly.BaselineOverall,
                    Regression = Flag(nightly.Regression),
                    RetrainingRequested = Flag(nightly.RetrainingRequested),
                    nightly.Summary,
                    CompletedAt = CatalogTime.Write(nightly.CompletedAt),
                },
                cancellationToken),
            cancellationToken);
    }

    public Task RecordAsync(SiteReported report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);

        // Newer news only: a report no newer than the site's row (one that arrived late, or a redelivery) leaves it alone.
        return WriteAsync(
            (connection, transaction) => Execute(
                connection,
                transaction,
                """
                INSERT INTO site_reports (site, model_name, version, sha256, reported_at)
                VALUES (@Site, @ModelName, @Version, @Sha256, @ReportedAt)
                ON CONFLICT (site) DO UPDATE SET
                    model_name = excluded.model_name, version = excluded.version, sha256 = excluded.sha256, reported_at = excluded.reported_at
                WHERE site_reports.reported_at < excluded.reported_at
                """,
                new { report.Site, report.ModelName, Version = (long)report.Version, report.Sha256, ReportedAt = CatalogTime.Write(report.ReportedAt) },
                cancellationToken),
            cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<LossPoint>>> ReadLossCurvesAsync(string generationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generationId);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var points = await Query<LossPointRow>(
                connection,
                "SELECT variant AS Variant, step AS Step, loss AS Loss FROM job_progress WHERE generation_id = @GenerationId ORDER BY step",
                new { GenerationId = generationId },
                cancellationToken).ConfigureAwait(false);
            return points
                .GroupBy(p => p.Variant, StringComparer.Ordinal)
                .ToDictionary(
                    variant => variant.Key,
                    IReadOnlyList<LossPoint> (variant) => variant.Select(p => new LossPoint(p.Step, p.Loss)).ToList(),
                    StringComparer.Ordinal);
        }
    }

    public async Task<CatalogStatus> ReadStatusAsync(StatusLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var crops = await ReadCropsAsync(connection, limits, cancellationToken).ConfigureAwait(false);
            var generations = await ReadGenerationsAsync(connection, limits, cancellationToken).ConfigureAwait(false);
            var evaluations = await ReadEvaluationsAsync(connection, limits, cancellationToken).ConfigureAwait(false);
            var promotions = (await Query<PromotionRow>(
                    connection,
                    """
                    SELECT generation_id AS GenerationId, outcome AS Outcome, model_name AS ModelName, version AS Version, variant AS Variant,
                           overall AS Overall, model_uri AS ModelUri, reason AS Reason, decided_at AS DecidedAt
                    FROM promotions ORDER BY decided_at DESC, generation_id DESC LIMIT @Limit
                    """,
                    new { Limit = limits.Promotions },
                    cancellationToken).ConfigureAwait(false))
                .Reverse()
                .Select(p => new PromotionEntry(p.GenerationId, p.Outcome, p.ModelName, p.Version, p.Variant, p.Overall, p.ModelUri, p.Reason, CatalogTime.Read(p.DecidedAt)))
                .ToList();
            var securityEvents = await ReadSecurityEventsAsync(connection, limits, cancellationToken).ConfigureAwait(false);
            var rollbacks = (await Query<RollbackRow>(
                    connection,
                    """
                    SELECT model_name AS ModelName, version AS Version, from_version AS FromVersion, reason AS Reason, rolled_back_at AS RolledBackAt
                    FROM rollbacks ORDER BY rolled_back_at DESC LIMIT @Limit
                    """,
                    new { Limit = limits.Promotions },
                    cancellationToken).ConfigureAwait(false))
                .Reverse()
                .Select(r => new RollbackEntry(r.ModelName, r.Version, r.FromVersion, r.Reason, CatalogTime.Read(r.RolledBackAt)))
                .ToList();
            var nightly = (await Query<NightlyRow>(
                    connection,
                    """
                    SELECT night_key AS NightKey, scheduled_for AS ScheduledFor, champion_overall AS ChampionOverall, baseline_overall AS BaselineOverall,
                           regression AS Regression, retraining_requested AS RetrainingRequested, summary AS Summary, completed_at AS CompletedAt
                    FROM nightly_evaluations ORDER BY scheduled_for DESC, night_key DESC LIMIT @Limit
                    """,
                    new { Limit = limits.Nightly },
                    cancellationToken).ConfigureAwait(false))
                .Reverse()
                .Select(n => new NightlyEntry(
                    n.NightKey, CatalogTime.Read(n.ScheduledFor), n.ChampionOverall, n.BaselineOverall, n.Regression != 0, n.RetrainingRequested != 0, n.Summary, CatalogTime.Read(n.CompletedAt)))
                .ToList();
            var sites = (await Query<SiteRow>(
                    connection,
                    "SELECT site AS Site, model_name AS ModelName, version AS Version, sha256 AS Sha256, reported_at AS ReportedAt FROM site_reports",
                    null,
                    cancellationToken).ConfigureAwait(false))
                .OrderBy(r => r.Site, StringComparer.Ordinal) // not in SQL: PostgreSQL would sort by its locale's collation
                .Select(r => new SiteEntry(r.Site, r.ModelName, checked((int)r.Version), r.Sha256, CatalogTime.Read(r.ReportedAt)))
                .ToList();
            return new CatalogStatus(crops, generations, evaluations, promotions, securityEvents) { Rollbacks = rollbacks, Nightly = nightly, Sites = sites };
        }
    }

    private static async Task<SecurityEvents> ReadSecurityEventsAsync(DbConnection connection, StatusLimits limits, CancellationToken cancellationToken)
    {
        var total = (await Query<long>(connection, "SELECT COUNT(*) FROM security_events", null, cancellationToken).ConfigureAwait(false)).Single();
        var latest = (await Query<SecurityEventRow>(
                connection,
                """
                SELECT message_type AS MessageType, consumer AS Consumer, subject AS Subject, reason AS Reason, refused_at AS RefusedAt
                FROM security_events ORDER BY refused_at DESC, message_id DESC LIMIT @Limit
                """,
                new { Limit = limits.SecurityEvents },
                cancellationToken).ConfigureAwait(false))
            .Select(r => new SecurityEventEntry(r.MessageType, r.Consumer, r.Subject, r.Reason, CatalogTime.Read(r.RefusedAt)))
            .ToList();
        return new SecurityEvents(total, latest);
    }

    private static async Task<CropSummary> ReadCropsAsync(DbConnection connection, StatusLimits limits, CancellationToken cancellationToken)
    {
        var splits = (await Query<SplitRow>(connection, "SELECT split AS Split, COUNT(*) AS Crops FROM crops GROUP BY split", null, cancellationToken).ConfigureAwait(false))
            .OrderBy(r => r.Split, StringComparer.Ordinal)
            .Select(r => new SplitCount(r.Split, r.Crops))
            .ToList();
        var classes = (await Query<ClassRow>(
                connection,
                """
                SELECT cc.class_name AS ClassName, c.split AS Split, COUNT(*) AS Crops
                FROM crop_classes cc JOIN crops c ON c.content_hash = cc.content_hash
                GROUP BY cc.class_name, c.split
                """,
                null,
                cancellationToken).ConfigureAwait(false))
            .OrderBy(r => r.ClassName, StringComparer.Ordinal)
            .ThenBy(r => r.Split, StringComparer.Ordinal)
            .Select(r => new ClassCount(r.ClassName, r.Split, r.Crops))
            .ToList();
        var rejected = (await Query<long>(connection, "SELECT COUNT(*) FROM crop_rejections", null, cancellationToken).ConfigureAwait(false)).Single();
        var latest = (await Query<RejectionRow>(
                connection,
                """
                SELECT source AS Source, reason AS Reason, quarantine_path AS QuarantinePath, rejected_at AS RejectedAt
                FROM crop_rejections ORDER BY rejected_at DESC, quarantine_path DESC LIMIT @Limit
                """,
                new { Limit = limits.Rejections },
                cancellationToken).ConfigureAwait(false))
            .Select(r => new RejectionEntry(r.Source, r.Reason, r.QuarantinePath, CatalogTime.Read(r.RejectedAt)))
            .ToList();
        return new CropSummary(splits.Sum(s => s.Crops), splits, classes, rejected, latest);
    }

    private static async Task<List<GenerationStatus>> ReadGenerationsAsync(DbConnection connection, StatusLimits limits, CancellationToken cancellationToken)
    {
        var generations = await Query<GenerationRow>(
            connection,
            $"""
            SELECT g.generation_id AS GenerationId, g.number AS Number, g.crop_count AS CropCount, g.new_crop_count AS NewCropCount,
                   g.requested_at AS RequestedAt, e.evaluation_id AS EvaluationId, p.outcome AS Outcome
            FROM (SELECT * FROM generations ORDER BY {GenerationOrder} LIMIT @Limit) g
            LEFT JOIN evaluations e ON e.generation_id = g.generation_id
            LEFT JOIN promotions p ON p.generation_id = g.generation_id
            """,
            new { Limit = limits.Generations },
            cancellationToken).ConfigureAwait(false);
        var jobs = (await Query<JobRow>(
                connection,
                $"""
                SELECT j.generation_id AS GenerationId, j.variant AS Variant, j.state AS State, j.step AS Step, j.total_steps AS TotalSteps,
                       j.loss AS Loss, j.steps_per_second AS StepsPerSecond, j.runner AS Runner, j.checkpoint_path AS Checkpoint,
                       j.updated_at AS UpdatedAt, j.failure AS Failure
                FROM jobs j JOIN (SELECT generation_id FROM generations ORDER BY {GenerationOrder} LIMIT @Limit) g ON g.generation_id = j.generation_id
                """,
                new { Limit = limits.Generations },
                cancellationToken).ConfigureAwait(false))
            .ToLookup(j => j.GenerationId, StringComparer.Ordinal);
        var stalls = (await Query<StallRow>(
                connection,
                $"""
                SELECT s.generation_id AS GenerationId, s.stage AS Stage, s.reason AS Reason, s.stalled_at AS StalledAt
                FROM generation_stalls s JOIN (SELECT generation_id FROM generations ORDER BY {GenerationOrder} LIMIT @Limit) g ON g.generation_id = s.generation_id
                """,
                new { Limit = limits.Generations },
                cancellationToken).ConfigureAwait(false))
            .ToLookup(s => s.GenerationId, StringComparer.Ordinal);

        return generations
            .OrderByDescending(g => g.Number ?? long.MaxValue)
            .ThenByDescending(g => g.GenerationId, StringComparer.Ordinal)
            .Select(g =>
            {
                var generationJobs = jobs[g.GenerationId]
                    .OrderBy(j => VariantOrder(j.Variant))
                    .ThenBy(j => j.Variant, StringComparer.Ordinal)
                    .Select(j => new JobStatus(j.Variant, j.State, j.Step, j.TotalSteps, j.Loss, j.StepsPerSecond, j.Runner, j.Checkpoint, CatalogTime.Read(j.UpdatedAt), j.Failure))
                    .ToList();
                var evaluated = g.EvaluationId is not null;

                // Only a stall of the step the generation is at counts: a later evaluation or decision settles it.
                var stall = g.Outcome is null
                    ? stalls[g.GenerationId].Where(s => s.Stage == (evaluated ? GenerationStages.Promotion : GenerationStages.Evaluation))
                        .Select(s => new GenerationStall(s.Stage, s.Reason, CatalogTime.Read(s.StalledAt)))
                        .FirstOrDefault()
                    : null;
                var state = GenerationStates.Derive(generationJobs, evaluated, g.Outcome, stall);
                return new GenerationStatus(g.GenerationId, g.Number, state, g.CropCount, g.NewCropCount, CatalogTime.ReadOptional(g.RequestedAt), generationJobs)
                {
                    Stall = stall,
                };
            })
            .ToList();
    }

    private static async Task<List<EvaluationSummary>> ReadEvaluationsAsync(DbConnection connection, StatusLimits limits, CancellationToken cancellationToken)
    {
        var evaluations = await Query<EvaluationRow>(
            connection,
            $"""
            SELECT generation_id AS GenerationId, evaluation_id AS EvaluationId, generation_number AS GenerationNumber, winner_variant AS Winner,
                   reason AS Reason, held_out_crops AS HeldOutCrops, training_crops AS TrainingCrops, report_path AS ReportPath, completed_at AS CompletedAt,
                   margin AS Margin, confidence_level AS ConfidenceLevel
            FROM evaluations ORDER BY {EvaluationOrder} LIMIT @Limit
            """,
            new { Limit = limits.Evaluations },
            cancellationToken).ConfigureAwait(false);
        var scores = (await Query<ScoreRow>(
                connection,
                $"""
                SELECT s.generation_id AS GenerationId, s.variant AS Variant, s.role AS Role, s.overall AS Overall, s.per_class AS PerClass
                FROM evaluation_scores s JOIN (SELECT generation_id FROM evaluations ORDER BY {EvaluationOrder} LIMIT @Limit) e ON e.generation_id = s.generation_id
                """,
                new { Limit = limits.Evaluations },
                cancellationToken).ConfigureAwait(false))
            .ToLookup(s => s.GenerationId, StringComparer.Ordinal);
        var comparisons = (await Query<ComparisonRow>(
                connection,
                $"""
                SELECT c.generation_id AS GenerationId, c.variant AS Variant, c.overall AS Overall, c.champion_overall AS ChampionOverall,
                       c.difference AS Difference, c.interval_lower AS IntervalLower, c.interval_upper AS IntervalUpper, c.clears_margin AS ClearsMargin
                FROM evaluation_comparisons c JOIN (SELECT generation_id FROM evaluations ORDER BY {EvaluationOrder} LIMIT @Limit) e ON e.generation_id = c.generation_id
                """,
                new { Limit = limits.Evaluations },
                cancellationToken).ConfigureAwait(false))
            .ToLookup(c => c.GenerationId, StringComparer.Ordinal);
        return evaluations
            .Select(e => new EvaluationSummary(
                e.GenerationId,
                e.EvaluationId,
                e.GenerationNumber,
                e.Winner,
                e.Reason,
                e.HeldOutCrops,
                e.TrainingCrops,
                e.ReportPath,
                CatalogTime.Read(e.CompletedAt),
                scores[e.GenerationId]
                    .OrderByDescending(s => s.Overall)
                    .ThenBy(s => s.Variant, StringComparer.Ordinal)
                    .ThenBy(s => s.Role, StringComparer.Ordinal)
                    .Select(s => new ScoreEntry(s.Variant, s.Role, s.Overall, JsonSerializer.Deserialize<Dictionary<string, double>>(s.PerClass) ?? []))
                    .ToList())
            {
                Comparisons = comparisons[e.GenerationId]
                    .OrderByDescending(c => c.Overall)
                    .ThenBy(c => c.Variant, StringComparer.Ordinal)
                    .Select(c => new ComparisonEntry(c.Variant, c.Overall, c.ChampionOverall, c.Difference, c.IntervalLower, c.IntervalUpper, c.ClearsMargin != 0))
                    .ToList(),
                Margin = e.Margin,
                ConfidenceLevel = e.ConfidenceLevel,
            })
            .ToList();
    }

    private Task InsertPromotionAsync(PromotionRow row, string? sha256, CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, transaction) =>
            {
                await EnsureGenerationAsync(connection, transaction, row.GenerationId, null, null, cancellationToken).ConfigureAwait(false);

                // A generation is decided once: the first decision recorded stands.
                await Execute(
                    connection,
                    transaction,
                    """
                    INSERT INTO promotions (generation_id, outcome, model_name, version, variant, overall, model_uri, sha256, reason, decided_at)
                    VALUES (@GenerationId, @Outcome, @ModelName, @Version, @Variant, @Overall, @ModelUri, @Sha256, @Reason, @DecidedAt)
                    ON CONFLICT (generation_id) DO NOTHING
                    """,
                    new { row.GenerationId, row.Outcome, row.ModelName, row.Version, row.Variant, row.Overall, row.ModelUri, Sha256 = sha256, row.Reason, row.DecidedAt },
                    cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    /// <summary>Makes sure a generation row exists, filling in its number when an event that knows it comes first.</summary>
    private static Task<int> EnsureGenerationAsync(DbConnection connection, DbTransaction transaction, string generationId, long? number, long? crops, CancellationToken cancellationToken) =>
        Execute(
            connection,
            transaction,
            """
            INSERT INTO generations (generation_id, number, crop_count) VALUES (@GenerationId, @Number, @Crops)
            ON CONFLICT (generation_id) DO UPDATE SET number = excluded.number, crop_count = excluded.crop_count
            WHERE generations.number IS NULL AND excluded.number IS NOT NULL
            """,
            new { GenerationId = generationId, Number = number, Crops = crops },
            cancellationToken);

    private static async Task QueueJobsAsync(
        DbConnection connection, DbTransaction transaction, string generationId, IEnumerable<string> variants, DateTimeOffset at, CancellationToken cancellationToken)
    {
        foreach (var variant in variants.Distinct(StringComparer.Ordinal))
        {
            await Execute(
                connection,
                transaction,
                """
                INSERT INTO jobs (generation_id, variant, state, state_rank, step, updated_at)
                VALUES (@GenerationId, @Variant, @State, @Rank, 0, @UpdatedAt)
                ON CONFLICT (generation_id, variant) DO NOTHING
                """,
                new { GenerationId = generationId, Variant = variant, State = JobStates.Queued, Rank = (long)JobStates.QueuedRank, UpdatedAt = CatalogTime.Write(at) },
                cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(Func<DbConnection, DbTransaction, Task> write, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await write(connection, transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Creates the schema once per instance; a failed attempt (database down) is retried by the next call.</summary>
    private Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        Task ready;
        lock (schemaGate)
        {
            if (schema is null || schema.IsFaulted || schema.IsCanceled)
            {
                schema = EnsureSchemaAsync(CancellationToken.None);
            }

            ready = schema;
        }

        return ready.WaitAsync(cancellationToken);
    }

    private static int VariantOrder(string variant)
    {
        var index = Variants.All.ToList().IndexOf(variant);
        return index < 0 ? int.MaxValue : index;
    }

    /// <summary>A flag as the schema stores it (BIGINT 0 or 1, see <see cref="CatalogSchema"/>).</summary>
    private static long Flag(bool value) => value ? 1 : 0;

    /// <summary>A measurement as a column may hold it: SQLite would store NaN as NULL and PostgreSQL as NaN, so neither does.</summary>
    private static double? FiniteOrNull(double value) => double.IsFinite(value) ? value : null;

    private static Task<int> Execute(DbConnection connection, DbTransaction? transaction, string sql, object? parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));

    private static Task<IEnumerable<T>> Query<T>(DbConnection connection, string sql, object? parameters, CancellationToken cancellationToken) =>
        connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
}
