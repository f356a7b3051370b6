using HotDistance.Contracts;
using HotDistance.Evaluator;

namespace HotDistance.Tests.Pipeline;

public class ChallengerDecisionTests
{
    private static ModelScore Score(string variant, double overall, string role = ModelRoles.Challenger) =>
        new(variant, role, "/nowhere", overall, new Dictionary<string, double>());

    [Fact]
    public void The_first_model_wins_without_a_champion()
    {
        var (winner, reason) = ChallengerDecision.Decide([Score("one-hot", 0.4), Score("hot-distance", 0.6), Score("distance", 0.5)], null, 0.05);
        Assert.Equal("hot-distance", winner!.Variant);
        Assert.Contains("no champion", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_challenger_must_beat_the_champion_by_more_than_the_margin()
    {
        var champion = Score("one-hot", 0.60, ModelRoles.Champion);
        Assert.Null(ChallengerDecision.Decide([Score("distance", 0.64)], champion, 0.05).Winner);
        Assert.Equal("distance", ChallengerDecision.Decide([Score("distance", 0.66)], champion, 0.05).Winner!.Variant);
    }
}
