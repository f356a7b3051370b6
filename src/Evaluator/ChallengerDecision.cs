using System.Globalization;
using HotDistance.Contracts;

namespace HotDistance.Evaluator;

/// <summary>
/// Picks the winner: the challenger with the best overall held-out score, provided it beats the champion by
/// the margin. The first model always wins (there is nothing to beat).
/// </summary>
public static class ChallengerDecision
{
    public static (ModelScore? Winner, string Reason) Decide(IReadOnlyList<ModelScore> challengers, ModelScore? champion, double margin)
    {
        ArgumentNullException.ThrowIfNull(challengers);
        if (challengers.Count == 0)
        {
            return (null, "no challenger was scored");
        }

        var best = challengers.OrderByDescending(s => s.Overall).ThenBy(s => s.Variant, StringComparer.Ordinal).First();
        if (champion is null)
        {
            return (best, string.Create(CultureInfo.InvariantCulture, $"{best.Variant} scored best ({best.Overall:F3}); there is no champion yet"));
        }

        var gain = best.Overall - champion.Overall;
        return gain > margin
            ? (best, string.Create(CultureInfo.InvariantCulture, $"{best.Variant} ({best.Overall:F3}) beats the champion ({champion.Overall:F3}) by {gain:F3} > margin {margin:F3}"))
            : (null, string.Create(CultureInfo.InvariantCulture, $"best challenger {best.Variant} ({best.Overall:F3}) does not beat the champion ({champion.Overall:F3}) by more than {margin:F3}"));
    }
}
