using HotDistance.Contracts;
using HotDistance.Evaluator;

namespace HotDistance.Tests.Evaluator;

public class ChallengerDecisionTests
{
    private static readonly EvaluatorSettings Settings = new() { PromotionMargin = 0.01, BootstrapResamples = 1000, BootstrapSeed = 7 };

    [Fact]
    public void The_first_model_wins_without_a_champion()
    {
        var challengers = new[]
        {
            BootstrapReports.Model("one-hot", ModelRoles.Challenger, [0.4, 0.4]),
            BootstrapReports.Model("hot-distance", ModelRoles.Challenger, [0.6, 0.6]),
            BootstrapReports.Model("distance", ModelRoles.Challenger, [0.5, 0.5]),
        };

        var (winner, reason, decision) = ChallengerDecision.Decide(challengers, null, Settings);

        Assert.Equal("hot-distance", winner!.Variant);
        Assert.Contains("no champion", reason, StringComparison.Ordinal);
        Assert.Empty(decision.Comparisons);
    }

    [Fact]
    public void A_clearly_better_challenger_wins_with_an_interval_above_the_margin()
    {
        var champion = BootstrapReports.Model("one-hot", ModelRoles.Champion, BootstrapReports.Noisy(20, 0.60, 0.05, seed: 1));
        var better = BootstrapReports.Model("hot-distance", ModelRoles.Challenger, BootstrapReports.Noisy(20, 0.80, 0.05, seed: 2));
        var worse = BootstrapReports.Model("distance", ModelRoles.Challenger, BootstrapReports.Noisy(20, 0.50, 0.05, seed: 3));

        var (winner, reason, decision) = ChallengerDecision.Decide([worse, better], champion, Settings);

        Assert.Equal("hot-distance", winner!.Variant);
        var comparison = Assert.Single(decision.Comparisons, c => c.Variant == "hot-distance");
        Assert.True(comparison.IntervalLower > Settings.PromotionMargin);
        Assert.True(comparison.IntervalLower <= comparison.Difference && comparison.Difference <= comparison.IntervalUpper);
        Assert.True(comparison.ClearsMargin);
        Assert.False(Assert.Single(decision.Comparisons, c => c.Variant == "distance").ClearsMargin);
        Assert.Contains("interval", reason, StringComparison.Ordinal);
        Assert.Equal(1000, decision.Resamples);
    }

    [Fact]
    public void A_noisy_marginal_challenger_does_not_win_even_when_its_point_score_clears_the_margin()
    {
        var championIoUs = BootstrapReports.Noisy(12, 0.60, 0.25, seed: 4);
        // Per crop: the champion's IoU plus 0.03 on average, but up to 0.3 better or worse on any one crop.
        var noise = BootstrapReports.Noisy(12, 0.0, 0.3, seed: 5);
        var shift = 0.03 - noise.Average();
        var challengerIoUs = championIoUs.Select((v, i) => Math.Clamp(v + noise[i] + shift, 0, 1)).ToArray();
        var champion = BootstrapReports.Model("one-hot", ModelRoles.Champion, championIoUs);
        var marginal = BootstrapReports.Model("distance", ModelRoles.Challenger, challengerIoUs);

        var (winner, reason, decision) = ChallengerDecision.Decide([marginal], champion, Settings);

        var comparison = Assert.Single(decision.Comparisons);
        Assert.True(comparison.Difference > Settings.PromotionMargin, $"the point difference {comparison.Difference} should clear the margin for this test to mean anything");
        Assert.True(comparison.IntervalLower < 0);
        Assert.Null(winner);
        Assert.Contains("no challenger beats the champion", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Among_challengers_that_qualify_the_best_overall_score_wins()
    {
        var champion = BootstrapReports.Model("one-hot", ModelRoles.Champion, BootstrapReports.Noisy(20, 0.50, 0.02, seed: 6));
        var good = BootstrapReports.Model("distance", ModelRoles.Challenger, BootstrapReports.Noisy(20, 0.70, 0.02, seed: 7));
        var best = BootstrapReports.Model("hot-distance", ModelRoles.Challenger, BootstrapReports.Noisy(20, 0.75, 0.02, seed: 8));

        var (winner, _, decision) = ChallengerDecision.Decide([good, best], champion, Settings);

        Assert.All(decision.Comparisons, c => Assert.True(c.ClearsMargin));
        Assert.Equal("hot-distance", winner!.Variant);
    }

    [Fact]
    public void With_two_held_out_crops_one_unchanged_the_interval_touches_zero_and_is_written_plainly()
    {
        var champion = BootstrapReports.Model("one-hot", ModelRoles.Champion, [0.5, 0.5]);
        var better = BootstrapReports.Model("hot-distance", ModelRoles.Challenger, [0.5, 0.9]);

        var (winner, reason, decision) = ChallengerDecision.Decide([better], champion, Settings);

        Assert.Null(winner);
        Assert.Equal(0, Assert.Single(decision.Comparisons).IntervalLower, 9);
        Assert.DoesNotContain("-+", reason, StringComparison.Ordinal);
        Assert.Contains("interval [0.000, +", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_best_scoring_challenger_that_does_not_clear_the_margin_loses_to_one_that_does()
    {
        var champion = BootstrapReports.Model("one-hot", ModelRoles.Champion, Enumerable.Repeat(0.5, 20).ToArray());
        var steady = BootstrapReports.Model("distance", ModelRoles.Challenger, BootstrapReports.Noisy(20, 0.60, 0.01, seed: 9));
        // Better on average (0.63) but only through half the crops: much better on some, worse on the others.
        var erratic = BootstrapReports.Model("hot-distance", ModelRoles.Challenger, Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? 1.0 : 0.26).ToArray());

        var (winner, reason, decision) = ChallengerDecision.Decide([erratic, steady], champion, Settings);

        Assert.True(erratic.Score.Overall > steady.Score.Overall, $"{erratic.Score.Overall} vs {steady.Score.Overall}: the erratic challenger must rank first for this test to mean anything");
        Assert.False(decision.Comparisons.Single(c => c.Variant == "hot-distance").ClearsMargin);
        Assert.True(decision.Comparisons.Single(c => c.Variant == "distance").ClearsMargin);
        Assert.Equal("distance", winner!.Variant);
        Assert.StartsWith("distance", reason, StringComparison.Ordinal);
    }
}
