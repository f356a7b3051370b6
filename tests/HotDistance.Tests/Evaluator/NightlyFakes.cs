using System.Collections.Concurrent;
using HotDistance.Contracts;
using HotDistance.Core.Tracking;
using HotDistance.Core.Workspace;
using HotDistance.Evaluator;
using HotDistance.Evaluator.Nightly;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotDistance.Tests.Evaluator;

/// <summary>A nightly scorer that hands out a champion score per call from a list (the last one repeats).</summary>
internal sealed class ScriptedNightlyScorer(params double[] championScores) : INightlyModelScorer
{
    private int calls;

    public int Calls => Volatile.Read(ref calls);

    public Task<NightlyScores> ScoreAsync(CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref calls) - 1;
        var overall = championScores.Length == 0 ? 0.5 : championScores[Math.Min(call, championScores.Length - 1)];
        ModelScore[] scores =
        [
            new(Variants.HotDistance, ModelRoles.Champion, CheckpointReferences.Registered("hotdistance", 1), "sha-champion", overall, new Dictionary<string, double>()),
            new(Variants.OneHot, ModelRoles.Challenger, CheckpointReferences.Trained("gen-0003", Variants.OneHot), "sha-one-hot", 0.4, new Dictionary<string, double>()),
        ];
        return Task.FromResult(new NightlyScores(scores, ["h-1", "h-2"]));
    }
}

/// <summary>A nightly scorer that cannot read the held-out crops.</summary>
internal sealed class FailingNightlyScorer : INightlyModelScorer
{
    public const string Reason = "held-out store unreadable";

    public Task<NightlyScores> ScoreAsync(CancellationToken cancellationToken) => throw new IOException(Reason);
}

/// <summary>Collects published events; lets a test wait for a number of them.</summary>
internal sealed class RecordingEvents : IEvaluatorEvents
{
    private readonly ConcurrentQueue<object> messages = new();
    private readonly Lock gate = new();
    private readonly List<(Func<IReadOnlyList<object>, bool> Done, TaskCompletionSource Signal)> waiters = [];

    public IReadOnlyList<object> Messages => messages.ToList();

    public IReadOnlyList<T> Of<T>() => messages.OfType<T>().ToList();

    public Task PublishAsync<T>(T message, CancellationToken cancellationToken)
        where T : class
    {
        messages.Enqueue(message);
        lock (gate)
        {
            foreach (var waiter in waiters.Where(w => w.Done(Messages)).ToList())
            {
                waiter.Signal.TrySetResult();
                waiters.Remove(waiter);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Completes once <paramref name="done"/> holds; fails the test after a generous bound instead of hanging.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<object>, bool> done)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (done(Messages))
            {
                return;
            }

            waiters.Add((done, signal));
        }

        await signal.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }
}

internal static class Nightly
{
    public static NightlyRunner Runner(string workspace, NightlySettings settings, INightlyModelScorer scorer, IEvaluatorEvents events, TimeProvider? clock = null, IExperimentTracker? tracker = null) =>
        new(new WorkspaceLayout(workspace), new EvaluatorSettings { Nightly = settings }, scorer, events, tracker ?? NoExperimentTracker.Instance, clock ?? TimeProvider.System, NullLogger<NightlyRunner>.Instance);
}

/// <summary>A nightly scorer that never finishes on its own: it waits until its run is cancelled.</summary>
internal sealed class StuckScorer : INightlyModelScorer
{
    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Started => started.Task;

    public async Task<NightlyScores> ScoreAsync(CancellationToken cancellationToken)
    {
        started.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable: the delay only ends by cancellation");
    }
}
