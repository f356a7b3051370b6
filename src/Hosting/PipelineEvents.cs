using System.Collections.Concurrent;
using HotDistance.Contracts;

namespace HotDistance.Hosting;

/// <summary>
/// What an observer has seen of the pipeline, for the demo's progress display and for tests that wait for an
/// outcome. Thread-safe: consumers write, the UI or test reads.
/// </summary>
public sealed class PipelineEvents
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<EvaluationCompleted>> evaluations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<object>> outcomes = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, TrainingProgressed> LatestProgress { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, ModelTrained> Trained { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<CropIngested> Ingested { get; } = new();

    public ConcurrentQueue<ModelPromoted> Promotions { get; } = new();

    /// <summary>Stages of a generation that gave up (after their retries), keyed by generation, then stage.</summary>
    public ConcurrentDictionary<string, ConcurrentDictionary<string, string>> Failures { get; } = new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="stage"/> (e.g. "train distance") of a generation failed for good.</summary>
    public void OnFailure(string generationId, string stage, string reason) =>
        Failures.GetOrAdd(generationId, _ => new ConcurrentDictionary<string, string>(StringComparer.Ordinal))[stage] = reason;

    /// <summary>The failed stages of a generation and why; empty while none failed.</summary>
    public IReadOnlyDictionary<string, string> FailuresOf(string generationId) =>
        Failures.TryGetValue(generationId, out var failures) ? failures : new Dictionary<string, string>();

    public void OnEvaluation(EvaluationCompleted evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        Evaluation(evaluation.GenerationId).TrySetResult(evaluation);
    }

    /// <summary>Completes with a <see cref="ModelPromoted"/> or a <see cref="PromotionDeclined"/>.</summary>
    public void OnOutcome(string generationId, object outcome) => Outcome(generationId).TrySetResult(outcome);

    public Task<EvaluationCompleted> EvaluationOf(string generationId) => Evaluation(generationId).Task;

    public Task<object> OutcomeOf(string generationId) => Outcome(generationId).Task;

    private TaskCompletionSource<EvaluationCompleted> Evaluation(string id) =>
        evaluations.GetOrAdd(id, _ => new TaskCompletionSource<EvaluationCompleted>(TaskCreationOptions.RunContinuationsAsynchronously));

    private TaskCompletionSource<object> Outcome(string id) =>
        outcomes.GetOrAdd(id, _ => new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously));
}
