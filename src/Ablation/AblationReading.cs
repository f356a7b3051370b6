using System.Globalization;

namespace HotDistance.Ablation;

/// <summary>
/// A short written reading of the figures, made from them alone and claiming only what the intervals support: an arm
/// is "better" or "worse" than a baseline only where the whole interval of the difference lies on one side of zero;
/// otherwise the two are "not distinguishable", whatever the point estimate says. Statements about lambda and about
/// density trends rest on point estimates and say so.
/// </summary>
public static class AblationReading
{
    public static IReadOnlyList<string> Write(AblationFigures figures, string score = AblationFigures.Overall)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var level = Percent(figures.ConfidenceLevel);
        var lines = new List<string>();
        var tally = new Dictionary<string, (int Better, int Worse, int Even)>(StringComparer.Ordinal);
        foreach (var density in figures.Densities)
        {
            var parts = new List<string>();
            foreach (var (baseline, pick) in Baselines)
            {
                var better = new List<string>();
                var worse = new List<string>();
                var even = new List<string>();
                // One-hot against distance would only repeat distance against one-hot, the other way round.
                foreach (var row in figures.Rows.Where(r => r.Density == density && r.Arm != baseline && !(r.Arm == Contracts.Variants.OneHot && baseline == Contracts.Variants.Distance)))
                {
                    if (row.Score(score) is not { } figure || pick(figure) is not { } interval)
                    {
                        continue;
                    }

                    var described = $"{row.Arm} {Signed(interval.Estimate)} [{Signed(interval.Lower)}, {Signed(interval.Upper)}]";
                    var key = $"{row.Variant}|{baseline}";
                    var (b, w, e) = tally.GetValueOrDefault(key);
                    if (interval.Positive)
                    {
                        better.Add(described);
                        tally[key] = (b + 1, w, e);
                    }
                    else if (interval.Negative)
                    {
                        worse.Add(described);
                        tally[key] = (b, w + 1, e);
                    }
                    else
                    {
                        even.Add(row.Arm);
                        tally[key] = (b, w, e + 1);
                    }
                }

                if (better.Count + worse.Count + even.Count == 0)
                {
                    continue;
                }

                var clauses = new List<string>();
                if (better.Count > 0)
                {
                    clauses.Add($"better than {baseline}: {string.Join("; ", better)}");
                }

                if (worse.Count > 0)
                {
                    clauses.Add($"worse than {baseline}: {string.Join("; ", worse)}");
                }

                if (even.Count > 0)
                {
                    clauses.Add($"not distinguishable from {baseline} (the {level} interval includes 0): {string.Join(", ", even)}");
                }

                parts.Add(string.Join("; ", clauses));
            }

            if (parts.Count > 0)
            {
                lines.Add($"At density {density}, {score} score: {string.Join(". ", parts)}.");
            }

            if (BestLambda(figures, density, score) is { } best)
            {
                lines.Add(best);
            }
        }

        foreach (var (pair, (better, worse, even)) in tally)
        {
            var split = pair.Split('|');
            lines.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"Overall, {split[0]} is better than {split[1]} in {better} of {better + worse + even} comparisons (arm and density), worse in {worse}, and not distinguishable in {even}."));
        }

        if (lines.Count == 0)
        {
            lines.Add("No comparison could be made: the grid has no baseline (one-hot or distance) beside another arm.");
        }

        return lines;
    }

    private static readonly (string Baseline, Func<ScoreFigures, Interval?> Pick)[] Baselines =
    [
        (Contracts.Variants.OneHot, f => f.VersusOneHot),
        (Contracts.Variants.Distance, f => f.VersusDistance),
    ];

    /// <summary>Which lambda had the highest mean, said as a point estimate; only when there are several lambdas.</summary>
    private static string? BestLambda(AblationFigures figures, string density, string score)
    {
        var lambdas = figures.Rows
            .Where(r => r.Density == density && r.Lambda is not null && r.Score(score) is not null)
            .Select(r => (r.Lambda!.Value, r.Score(score)!.Mean))
            .OrderByDescending(p => p.Mean)
            .ToList();
        if (lambdas.Count < 2)
        {
            return null;
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"At density {density}, the highest mean {score} score among the lambdas is λ={lambdas[0].Value:0.###} ({lambdas[0].Mean:F3}; the others {string.Join(", ", lambdas.Skip(1).Select(l => $"λ={l.Value:0.###} {l.Mean:F3}"))}): a ranking of means, not tested between lambdas.");
    }

    internal static string Signed(double value) => value.ToString("+0.000;−0.000;0.000", CultureInfo.InvariantCulture);

    private static string Percent(double level) => (level * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
