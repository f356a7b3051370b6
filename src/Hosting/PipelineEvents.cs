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
