using HotDistance.Contracts;

namespace HotDistance.Ablation;

/// <summary>
/// The cells of an ablation, composed as dacapo composes runs: the product of the arms (each variant, hot-distance
/// once per lambda), the densities and the seeds. Ordered density by density and seed by seed, so an interrupted
/// grid already holds complete comparisons for the densities it reached.
/// </summary>
public static class AblationGrid
{
    public static IReadOnlyList<AblationArm> Arms(AblationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Variants
            .OrderBy(v => Variants.All.ToList().IndexOf(v))
            .SelectMany(v => v == Variants.HotDistance ? settings.Lambdas.Order().Select(l => new AblationArm(v, l)) : [new AblationArm(v)])
            .ToList();
    }

    public static IReadOnlyList<AblationCell> Compose(AblationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = settings.Problems().Select(p => $"{p.Key} = {Shown(p.Value)}: {p.Allowed}").ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems));
        }

        var arms = Arms(settings);
        return settings.Densities
            .SelectMany(density => settings.Seeds.SelectMany(seed => arms.Select(arm => new AblationCell(arm, density, seed))))
            .ToList();
    }

    private static string Shown(object? value) =>
        value is System.Collections.IEnumerable items and not string ? "[" + string.Join(", ", items.Cast<object?>().Select(Shown)) + "]" : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
}
