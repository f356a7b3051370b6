using HotDistance.Contracts;
using HotDistance.Catalog.Status;

namespace HotDistance.Catalog;

/// <summary>
/// What the pipeline has done, as tables: crops, generations and their training jobs (with their loss curves),
/// evaluations, promotions, nightly re-evaluations, the model each inference site runs, and refused messages.
/// Every <c>RecordAsync</c> is an idempotent upsert keyed by the event's domain key (a crop's content hash, a
/// generation id, a job's generation and variant, a night, a site), so a redelivered or replayed event changes
/// nothing, and an event that arrives late never moves a row backwards (a job that is done stays done).
/// </summary>
public interface IPipelineCatalog
{
    /// <summary>Where the catalog lives, with any password removed, for messages.</summary>
    string Description { get; }

    /// <summary>Creates or upgrades the tables. Safe to call any number of times, from several processes at once.</summary>
    Task EnsureSchemaAsync(CancellationToken cancellationToken);

    Task RecordAsync(CropIngested crop, CancellationToken cancellationToken);

    Task RecordAsync(CropRejected rejection, CancellationToken cancellationToken);

    /// <summary>Records the generation and one queued job for each of its variants.</summary>
    Task RecordAsync(TrainingRequested request, CancellationToken cancellationToken);

    /// <summary><paramref name="observedAt"/> stands in for the timestamp the event does not carry (its send time).</summary>
    Task RecordAsync(TrainingProgressed progress, DateTimeOffset observedAt, CancellationToken cancellationToken);

    Task RecordAsync(ModelTrained trained, CancellationToken cancellationToken);

    /// <summary>A training attempt that failed and is being retried; a later step, the job's end or its fault replaces it.</summary>
    Task RecordAsync(TrainingRetrying retrying, CancellationToken cancellationToken);

    /// <summary>A generation's evaluation or promotion that gave up and waits for the sweep; keyed by generation and stage.</summary>
    Task RecordAsync(GenerationStalled stalled, CancellationToken cancellationToken);

    /// <summary>A training job whose consumer gave up (MassTransit's fault for the request).</summary>
    Task RecordFailureAsync(TrainingRequested request, string failure, DateTimeOffset failedAt, CancellationToken cancellationToken);

    Task RecordAsync(EvaluationCompleted evaluation, CancellationToken cancellationToken);

    Task RecordAsync(ModelPromoted promotion, CancellationToken cancellationToken);

    Task RecordAsync(PromotionDeclined declined, CancellationToken cancellationToken);

    /// <summary>A rollback of the champion, keyed by model and time.</summary>
    Task RecordAsync(ChampionRolledBack rollback, CancellationToken cancellationToken);

    /// <summary>A security event: a message refused as untrusted. Keyed by the message and the refusing endpoint.</summary>
    Task RecordAsync(MessageRefused refused, CancellationToken cancellationToken);

    /// <summary>A night's re-evaluation, keyed by its night; a later run of the same night replaces an earlier one.</summary>
    Task RecordAsync(NightlyEvaluationCompleted nightly, CancellationToken cancellationToken);

    /// <summary>The model an inference site runs, keyed by the site; an older report never replaces a newer one.</summary>
    Task RecordAsync(SiteReported report, CancellationToken cancellationToken);

    /// <summary>
    /// The newest generations and evaluations, every promotion decision, the crop counts, the newest nights and
    /// what each inference site runs.
    /// </summary>
    Task<CatalogStatus> ReadStatusAsync(StatusLimits limits, CancellationToken cancellationToken);

    /// <summary>
    /// Each training job's loss at every step its progress reported, by variant, in step order; empty for a
    /// generation the catalog does not know.
    /// </summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<LossPoint>>> ReadLossCurvesAsync(string generationId, CancellationToken cancellationToken);
}
