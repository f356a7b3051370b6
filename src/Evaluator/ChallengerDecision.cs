using System.Globalization;
using HotDistance.Contracts;

namespace HotDistance.Evaluator;

/// <summary>
/// Picks the winner. Without a champion the best challenger wins (the first model always wins: there is nothing
/// to beat). Otherwise each challenger's difference to the champion gets a paired-bootstrap interval over the
/// held-out crops, and the winner is the challenger with the best overall score among those whose interval's
/// lower bound exceeds the margin; if none does, the champion stays.
/// </summary>
public static class ChallengerDecision
{
    public const string Rule =
        "winner = best overall held-out score among challengers whose paired-bootstrap interval (over crops) of the difference to the champion has its lower bound above the margin; without a champion the best challenger wins";

    public static (ModelScore? Winner, string Reason, PromotionDecision Decision) Decide(
        IReadOnlyList<ScoredModel> challengers,
        ScoredModel? champion,
        EvaluatorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(challengers);
        ArgumentNullException.ThrowIfNull(settings);
        var margin = settings.PromotionMargin;
        var comparisons = champion is null
            ? []
            : challengers.Select(c => Compare(c, champion, settings)).ToList();
        var decision = new PromotionDecision(Rule, margin, settings.BootstrapResamples, settings.BootstrapSeed, settings.ConfidenceLevel, comparisons);
        if (challengers.Count == 0)
        {
            return (null, "no challenger was scored", decision);
        }

        var ranked = challengers.Select(c => c.Score).OrderByDescending(s => s.Overall).ThenBy(s => s.Variant, StringComparer.Ordinal).ToList();
        if (champion is null)
        {
            var first = ranked[0];
            return (first, Format($"{first.Variant} scored best ({first.Overall:F3}); there is no champion yet"), decision);
        }

        var percent = settings.ConfidenceLevel * 100;
        var clearing = ranked.Where(s => comparisons.Single(c => c.Checkpoint == s.Checkpoint && c.Variant == s.Variant).ClearsMargin).ToList();
        if (clearing.Count == 0)
        {
            var best = comparisons.Single(c => c.Checkpoint == ranked[0].Checkpoint && c.Variant == ranked[0].Variant);
            return (null, Format(
                $"no challenger beats the champion ({champion.Score.Overall:F3}) by more than {margin:F3} with {percent:G3}% confidence: best challenger {best.Variant} ({best.Overall:F3}) differs by {best.Difference:+0.000;-0.000;0.000}, interval [{best.IntervalLower:+0.000;-0.000;0.000}, {best.IntervalUpper:+0.000;-0.000;0.000}]"), decision);
        }

        var winner = clearing[0];
        var comparison = comparisons.Single(c => c.Checkpoint == winner.Checkpoint && c.Variant == winner.Variant);
        return (winner, Format(
            $"{winner.Variant} ({winner.Overall:F3}) beats the champion ({champion.Score.Overall:F3}) by {comparison.Difference:+0.000;-0.000;0.000}, {percent:G3}% interval [{comparison.IntervalLower:+0.000;-0.000;0.000}, {comparison.IntervalUpper:+0.000;-0.000;0.000}] whose lower bound exceeds the margin {margin:F3}"), decision);
    }

    private static ChallengerComparison Compare(ScoredModel challenger, ScoredModel champion, EvaluatorSettings settings)
    {
        var interval = PairedBootstrap.Difference(challenger.Report, champion.Report, settings.BootstrapResamples, settings.BootstrapSeed, settings.ConfidenceLevel);
        return new ChallengerComparison(
            challenger.Score.Variant,
            challenger.Score.Checkpoint,
            challenger.Score.Overall,
            champion.Score.Overall,
            interval.Difference,
            interval.Lower,
            interval.Upper,
            interval.Lower > settings.PromotionMargin);
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
