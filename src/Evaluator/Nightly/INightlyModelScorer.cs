using HotDistance.Contracts;

namespace HotDistance.Evaluator.Nightly;

/// <summary>Scores the champion and the latest challengers on the whole held-out set.</summary>
public interface INightlyModelScorer
{
    Task<NightlyScores> ScoreAsync(CancellationToken cancellationToken);
}
