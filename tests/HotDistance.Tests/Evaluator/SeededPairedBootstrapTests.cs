using HotDistance.Evaluator;

namespace HotDistance.Tests.Evaluator;

/// <summary>The paired bootstrap over several trainings (seeds) of each model, as hd ablate uses it.</summary>
public class SeededPairedBootstrapTests
{
    private static readonly double[] Base = BootstrapReports.Noisy(12, 0.6, 0.2, seed: 20);

    [Fact]
    public void A_gain_every_training_shares_is_found_and_the_estimate_is_the_mean_over_trainings()
    {
        var baselines = new[] { Shifted(0), Shifted(0.01), Shifted(-0.01) };
        var models = new[] { Shifted(0.05), Shifted(0.07), Shifted(0.03) };

        var interval = PairedBootstrap.Difference(models, baselines, r => r.Overall, resamples: 1000, seed: 3)!;

        var expected = models.Zip(baselines).Average(p => p.First.Overall - p.Second.Overall);
        Assert.Equal(expected, interval.Difference, 12);
        Assert.True(interval.Lower > 0 && interval.Upper < 0.1, $"[{interval.Lower}, {interval.Upper}]");
    }

    [Fact]
    public void Trainings_that_disagree_give_an_interval_across_zero_though_each_crop_draw_alone_would_not()
    {
        // One training gains 0.08 on every crop, another loses 0.08: resampling crops alone would give two narrow
        // intervals on either side of zero; resampling the trainings too shows the sign is not settled.
        var baselines = new[] { Shifted(0), Shifted(0), Shifted(0) };
        var models = new[] { Shifted(0.08), Shifted(-0.08), Shifted(0.01) };

        var interval = PairedBootstrap.Difference(models, baselines, r => r.Overall, resamples: 1000, seed: 3)!;

        Assert.True(interval.Lower < 0 && interval.Upper > 0, $"[{interval.Lower}, {interval.Upper}]");
        Assert.True(PairedBootstrap.Difference(models[0], baselines[0], 1000, 3).Lower > 0);
    }

    [Fact]
    public void Without_baselines_it_is_an_interval_of_the_mean_score_and_a_missing_kind_of_score_gives_none()
    {
        var models = new[] { Shifted(0), Shifted(0.02), Shifted(0.04) };

        var interval = PairedBootstrap.Difference(models, null, r => r.Overall, resamples: 500, seed: 1)!;
        var instance = PairedBootstrap.Difference(models, null, r => r.InstanceScore, resamples: 500, seed: 1);

        Assert.Equal(models.Average(m => m.Overall), interval.Difference, 12);
        Assert.InRange(interval.Difference, interval.Lower, interval.Upper);
        Assert.Null(instance);
        Assert.Throws<ArgumentException>(() => PairedBootstrap.Difference(models, models.Take(2).ToList(), r => r.Overall, 500, 1));
    }

    private static HotDistance.Core.Metrics.ScoreReport Shifted(double by) =>
        BootstrapReports.FromIoUs(Base.Select(v => Math.Clamp(v + by, 0, 1)).ToArray());
}
