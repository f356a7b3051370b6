using HotDistance.Ablation;

namespace HotDistance.Tests.Ablation;

/// <summary>The written reading on hand-built figures: it claims a winner only where the interval supports it.</summary>
public class AblationReadingTests
{
    [Fact]
    public void An_interval_that_crosses_zero_is_never_read_as_a_win_even_with_a_large_point_estimate()
    {
        var figures = Figures(
            ("full", "hot-distance λ=1", 1.0, 0.70, new Interval(0.15, -0.01, 0.30), new Interval(0.02, -0.05, 0.09)));

        var reading = string.Join("\n", AblationReading.Write(figures));

        Assert.DoesNotContain("better", FirstLine(reading), StringComparison.Ordinal);
        Assert.DoesNotContain("worse", FirstLine(reading), StringComparison.Ordinal);
        Assert.Contains("not distinguishable from one-hot (the 95% interval includes 0): hot-distance λ=1", reading, StringComparison.Ordinal);
        Assert.Contains("hot-distance is better than one-hot in 0 of 1 comparisons", reading, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interval_above_zero_is_a_win_with_its_size_and_interval_and_one_below_zero_a_loss()
    {
        var figures = Figures(
            ("voxels=0.25:blocks:4", "hot-distance λ=0.3", 0.3, 0.61, new Interval(0.052, 0.011, 0.094), new Interval(-0.04, -0.07, -0.01)));

        var reading = AblationReading.Write(figures);

        var line = reading[0];
        Assert.StartsWith("At density voxels=0.25:blocks:4, overall score:", line, StringComparison.Ordinal);
        Assert.Contains("better than one-hot: hot-distance λ=0.3 +0.052 [+0.011, +0.094]", line, StringComparison.Ordinal);
        Assert.Contains("worse than distance: hot-distance λ=0.3 −0.040 [−0.070, −0.010]", line, StringComparison.Ordinal);
        Assert.Contains(reading, l => l.Contains("hot-distance is better than one-hot in 1 of 1", StringComparison.Ordinal));
        Assert.Contains(reading, l => l.Contains("hot-distance is better than distance in 0 of 1 comparisons (arm and density), worse in 1", StringComparison.Ordinal));
    }

    [Fact]
    public void The_best_lambda_is_said_as_a_ranking_of_means_and_not_as_a_tested_result()
    {
        var figures = Figures(
            ("full", "hot-distance λ=0.3", 0.3, 0.58, new Interval(0.01, -0.02, 0.04), null),
            ("full", "hot-distance λ=1", 1.0, 0.63, new Interval(0.06, 0.02, 0.10), null));

        var reading = AblationReading.Write(figures);

        var lambda = Assert.Single(reading, l => l.Contains("among the lambdas", StringComparison.Ordinal));
        Assert.Contains("λ=1 (0.630; the others λ=0.3 0.580)", lambda, StringComparison.Ordinal);
        Assert.Contains("not tested between lambdas", lambda, StringComparison.Ordinal);
        Assert.Contains(reading, l => l.Contains("better than one-hot: hot-distance λ=1 +0.060", StringComparison.Ordinal) && l.Contains("not distinguishable from one-hot (the 95% interval includes 0): hot-distance λ=0.3", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_baseline_there_is_nothing_to_claim()
    {
        var figures = Figures(("full", "hot-distance λ=1", 1.0, 0.5, null, null));

        var reading = AblationReading.Write(figures);

        Assert.Equal(["No comparison could be made: the grid has no baseline (one-hot or distance) beside another arm."], reading);
    }

    private static string FirstLine(string text) => text.Split('\n')[0];

    private static AblationFigures Figures(params (string Density, string Arm, double Lambda, double Mean, Interval? VersusOneHot, Interval? VersusDistance)[] rows)
    {
        var built = rows.Select(r => new ArmFigures(
            r.Arm,
            "hot-distance",
            r.Lambda,
            r.Density,
            [1, 2, 3],
            [new ScoreFigures(AblationFigures.Overall, r.Mean, 0.01, new Interval(r.Mean, r.Mean - 0.05, r.Mean + 0.05), r.VersusOneHot, r.VersusDistance)])).ToList();
        return new AblationFigures(
            rows.Select(r => r.Density).Distinct().ToList(),
            rows.Select(r => r.Arm).Distinct().ToList(),
            [AblationFigures.Overall],
            built,
            0.95,
            2000);
    }
}
