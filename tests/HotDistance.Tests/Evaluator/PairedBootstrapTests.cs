using HotDistance.Evaluator;

namespace HotDistance.Tests.Evaluator;

public class PairedBootstrapTests
{
    private static readonly double[] Champion = BootstrapReports.Noisy(15, 0.6, 0.2, seed: 10);
    private static readonly double[] Challenger = BootstrapReports.Noisy(15, 0.65, 0.2, seed: 11);

    [Fact]
    public void The_same_seed_gives_the_same_interval_and_another_seed_another()
    {
        var model = BootstrapReports.FromIoUs(Challenger);
        var baseline = BootstrapReports.FromIoUs(Champion);

        var first = PairedBootstrap.Difference(model, baseline, resamples: 500, seed: 42);
        var again = PairedBootstrap.Difference(model, baseline, resamples: 500, seed: 42);
        var other = PairedBootstrap.Difference(model, baseline, resamples: 500, seed: 43);

        Assert.Equal(first, again);
        Assert.NotEqual((first.Lower, first.Upper), (other.Lower, other.Upper));
        Assert.Equal(model.Overall - baseline.Overall, first.Difference, 12);
        Assert.True(first.Lower < first.Difference && first.Difference < first.Upper);
    }

    [Fact]
    public void Pairing_cancels_what_both_models_share_so_a_constant_gain_has_a_narrow_interval()
    {
        // Crops differ wildly in difficulty, but the challenger is 0.05 better on every one of them.
        var baseline = BootstrapReports.FromIoUs(Champion);
        var model = BootstrapReports.FromIoUs(Champion.Select(v => v + 0.05).ToArray());

        var interval = PairedBootstrap.Difference(model, baseline, resamples: 1000, seed: 1);

        Assert.True(interval.Lower > 0.04 && interval.Upper < 0.06, $"interval [{interval.Lower}, {interval.Upper}]");
    }

    [Fact]
    public void Identical_models_differ_by_exactly_zero()
    {
        var report = BootstrapReports.FromIoUs(Champion);

        var interval = PairedBootstrap.Difference(report, report, resamples: 200, seed: 3);

        Assert.Equal(new BootstrapInterval(0, 0, 0, 200), interval);
    }
}
