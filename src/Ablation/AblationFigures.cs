using HotDistance.Contracts;
using HotDistance.Evaluator;

namespace HotDistance.Ablation;

/// <summary>
/// Every figure of an ablation: per arm and density, each challenge score (overall, semantic, instance, and each
/// class's) as the mean over seeds, its spread between seeds, a bootstrap interval of the mean, and paired-bootstrap
/// intervals of its difference to one-hot and to distance (same density, same seeds, same held-out crops).
/// </summary>
public sealed record AblationFigures(
    IReadOnlyList<string> Densities,
    IReadOnlyList<string> Arms,
    IReadOnlyList<string> Scores,
    IReadOnlyList<ArmFigures> Rows,
    double ConfidenceLevel,
    int Resamples)
{
    public const string Overall = "overall";
    public const string Semantic = "semantic";
    public const string Instance = "instance";

    public ArmFigures? Row(string arm, string density) => Rows.FirstOrDefault(r => r.Arm == arm && r.Density == density);

    /// <summary>Computes the figures from the cells' results.</summary>
    public static AblationFigures Compute(AblationSettings settings, IReadOnlyList<CellResult> results, IReadOnlySet<string> instanceClasses)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(results);
        var arms = AblationGrid.Arms(settings);
        var densities = settings.Densities.Select(d => d.Name).ToList();
        var classes = results.SelectMany(r => r.PerClass.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var scores = new List<(string Name, Func<Core.Metrics.ScoreReport, double?> Of)>
        {
            (Overall, r => r.Overall),
            (Semantic, r => r.SemanticScore),
            (Instance, r => r.InstanceScore),
        };
        scores.AddRange(classes.Select(c => (c, (Func<Core.Metrics.ScoreReport, double?>)(r => r.ForClass(c)?.Score))));
        const double level = 0.95;

        var rows = new List<ArmFigures>();
        foreach (var density in densities)
        {
            var bySeed = arms.ToDictionary(
                a => a.Label,
                a => settings.Seeds.Select(s => results.FirstOrDefault(r => r.Density == density && r.Seed == s && r.Variant == a.Variant && r.Lambda == a.Lambda))
                    .OfType<CellResult>().OrderBy(r => r.Seed).ToList(),
                StringComparer.Ordinal);
            var reports = bySeed.ToDictionary(p => p.Key, p => p.Value.Select(r => r.ToReport(instanceClasses)).ToList(), StringComparer.Ordinal);
            foreach (var arm in arms)
            {
                var cells = bySeed[arm.Label];
                if (cells.Count == 0)
                {
                    continue;
                }

                var figures = new List<ScoreFigures>();
                foreach (var (name, of) in scores)
                {
                    var perSeed = reports[arm.Label].Select(of).ToList();
                    if (perSeed.Any(v => v is null))
                    {
                        continue;
                    }

                    var values = perSeed.Select(v => v!.Value).ToList();
                    var mean = values.Average();
                    var spread = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
                    figures.Add(new ScoreFigures(
                        name,
                        mean,
                        spread,
                        Interval(PairedBootstrap.Difference(reports[arm.Label], null, of, settings.BootstrapResamples, settings.BootstrapSeed, level)),
                        Versus(arm, AblationArm.OneHot, cells, bySeed, reports, of, settings, level),
                        Versus(arm, AblationArm.Distance, cells, bySeed, reports, of, settings, level)));
                }

                rows.Add(new ArmFigures(arm.Label, arm.Variant, arm.Lambda, density, cells.Select(c => c.Seed).ToList(), figures));
            }
        }

        return new AblationFigures(densities, arms.Select(a => a.Label).ToList(), scores.Select(s => s.Name).ToList(), rows, level, settings.BootstrapResamples);
    }

    /// <summary>The paired difference to a baseline over the seeds both have; null for the baseline itself or when it is absent.</summary>
    private static Interval? Versus(
        AblationArm arm,
        AblationArm baseline,
        List<CellResult> cells,
        Dictionary<string, List<CellResult>> bySeed,
        Dictionary<string, List<Core.Metrics.ScoreReport>> reports,
        Func<Core.Metrics.ScoreReport, double?> of,
        AblationSettings settings,
        double level)
    {
        if (arm == baseline || !bySeed.TryGetValue(baseline.Label, out var baselineCells) || baselineCells.Count == 0)
        {
            return null;
        }

        var pairs = cells.Select((c, i) => (Model: reports[arm.Label][i], Baseline: baselineCells.FindIndex(b => b.Seed == c.Seed) is var j and >= 0 ? reports[baseline.Label][j] : null))
            .Where(p => p.Baseline is not null)
            .ToList();
        return pairs.Count == 0
            ? null
            : Interval(PairedBootstrap.Difference(pairs.Select(p => p.Model).ToList(), pairs.Select(p => p.Baseline!).ToList(), of, settings.BootstrapResamples, settings.BootstrapSeed, level));
    }

    private static Interval? Interval(BootstrapInterval? interval) =>
        interval is null ? null : new Interval(interval.Difference, interval.Lower, interval.Upper);
}

/// <summary>One arm at one density: the seeds it was trained with and each score's figures.</summary>
public sealed record ArmFigures(string Arm, string Variant, double? Lambda, string Density, IReadOnlyList<int> Seeds, IReadOnlyList<ScoreFigures> Scores)
{
    public ScoreFigures? Score(string name) => Scores.FirstOrDefault(s => s.Score == name);

    public bool IsBaseline => Lambda is null && Variant is Variants.OneHot or Variants.Distance;
}

/// <summary>
/// One score of one arm at one density: the mean over seeds, the seeds' standard deviation, the bootstrap interval of
/// the mean, and the intervals of the difference to one-hot and to distance (null where there is no such baseline).
/// </summary>
public sealed record ScoreFigures(string Score, double Mean, double SeedSpread, Interval? MeanInterval, Interval? VersusOneHot, Interval? VersusDistance);

/// <summary>A point estimate and its interval.</summary>
public sealed record Interval(double Estimate, double Lower, double Upper)
{
    /// <summary>Above zero with the interval's confidence: the lower bound is above 0.</summary>
    public bool Positive => Lower > 0;

    public bool Negative => Upper < 0;
}
