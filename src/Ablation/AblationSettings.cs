using System.ComponentModel.DataAnnotations;
using System.Globalization;
using HotDistance.Core.Crops.Thinning;
using HotDistance.Learning.Training;

namespace HotDistance.Ablation;

/// <summary>
/// The <c>ablation</c> section: the grid <c>hd ablate</c> runs (<see cref="AblationGrid"/> composes it: every arm,
/// at every density, with every seed) and how each cell trains and is scored. Bound and validated with the rest of
/// the configuration; <see cref="Problems"/> holds the rules that span keys.
/// </summary>
public sealed record AblationSettings
{
    /// <summary>The variants compared; one-hot and distance are the baselines every difference is taken against.</summary>
    public IReadOnlyList<string> Variants { get; init; } = HotDistance.Contracts.Variants.All;

    /// <summary>lambda values for hot-distance: one arm each.</summary>
    public IReadOnlyList<double> Lambdas { get; init; } = [0.1, 0.3, 1, 3];

    /// <summary>Density levels (<see cref="AnnotationDensity.Syntax"/>), made from the training crops by removing annotation.</summary>
    public IReadOnlyList<AnnotationDensity> Densities { get; init; } =
    [
        AnnotationDensity.Full,
        new() { ClassesPerCrop = 1 },
        new() { VoxelFraction = 0.5, Pattern = UnknownPattern.Slabs },
        new() { VoxelFraction = 0.25, Pattern = UnknownPattern.Blocks },
    ];

    /// <summary>Training seeds (initial weights and patch draws); every arm and density trains with each.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [1, 2, 3];

    /// <summary>Seeds the removal of annotation, the same for every cell, so all cells of a density see the same labels.</summary>
    public int ThinningSeed { get; init; } = 7;

    /// <summary>
    /// How each cell trains (steps, patch, batch, learning rate, checkpoints, network, intensity normalisation): the
    /// trainer's own settings record. Its seed and lambda come from <see cref="Seeds"/> and <see cref="Lambdas"/>.
    /// </summary>
    public TrainingSettings Training { get; init; } = new();

    /// <summary>
    /// libtorch's threads while a cell trains and scores (0 keeps libtorch's default, one per core). One by default: on
    /// this project's shared 2-core machine two threads stalled whenever either was preempted, and a readme-preset cell
    /// took 54 to 98 s with two threads against 6 to 8 s with one.
    /// </summary>
    [Range(0, 1024)]
    public int TorchThreads { get; init; } = 1;

    /// <summary>Share of the crops held out for scoring (ordered by content hash; never thinned).</summary>
    [Range(0.05, 0.9)]
    public double HeldOutFraction { get; init; } = 0.25;

    /// <summary>Tune each cell's thresholds on its (thinned) training crops before scoring, as the evaluator does.</summary>
    public bool TuneThresholds { get; init; } = true;

    /// <summary>Paired bootstrap resamples (over held-out crops and seeds) behind each interval.</summary>
    [Range(100, 1_000_000)]
    public int BootstrapResamples { get; init; } = 2000;

    public int BootstrapSeed { get; init; } = 17;

    /// <summary>The folder of the ablation (cells, ablation.json/.md/.html); null is ./.hd/ablation.</summary>
    public string? Output { get; init; }

    /// <summary>The rules that span keys: each as the key, its value and what is allowed.</summary>
    public IEnumerable<(string Key, object? Value, string Allowed)> Problems()
    {
        var unknown = Variants.Where(v => !HotDistance.Contracts.Variants.All.Contains(v, StringComparer.Ordinal)).ToList();
        if (Variants.Count == 0 || unknown.Count > 0 || Variants.Distinct(StringComparer.Ordinal).Count() != Variants.Count)
        {
            yield return ("ablation:variants", Variants, $"name each of {string.Join(", ", HotDistance.Contracts.Variants.All)} at most once, at least one");
        }

        if (Variants.Contains(HotDistance.Contracts.Variants.HotDistance) && (Lambdas.Count == 0 || Lambdas.Any(l => !double.IsFinite(l) || l <= 0 || l > 1000) || Lambdas.Distinct().Count() != Lambdas.Count))
        {
            yield return ("ablation:lambdas", Lambdas, "hot-distance needs at least one lambda, each from above 0 to 1000 and given once, e.g. [0.1, 0.3, 1, 3]");
        }

        if (Densities.Count == 0 || Densities.Select(d => d.Name).Distinct(StringComparer.Ordinal).Count() != Densities.Count)
        {
            yield return ("ablation:densities", Densities, $"at least one level, each once: {AnnotationDensity.Syntax}");
        }

        if (Seeds.Distinct().Count() != Seeds.Count || Seeds.Count < MinimumSeeds)
        {
            yield return ("ablation:seeds", Seeds, string.Create(CultureInfo.InvariantCulture, $"at least {MinimumSeeds} different seeds, so the spread between trainings shows in the intervals, e.g. [1, 2, 3]"));
        }

        if (Training.CheckpointEvery > Training.Steps)
        {
            yield return ("ablation:training:checkpointEvery", Training.CheckpointEvery, string.Create(CultureInfo.InvariantCulture, $"at most ablation:training:steps ({Training.Steps}), or an interrupted cell restarts from its first step"));
        }

        var unset = new TrainingSettings();
        if (Training.Seed != unset.Seed || Training.DistanceLambda != unset.DistanceLambda)
        {
            yield return ("ablation:training", $"seed {Training.Seed}, distanceLambda {Training.DistanceLambda}", "leave seed and distanceLambda out: each cell takes its seed from ablation:seeds and its lambda from ablation:lambdas");
        }
    }

    public const int MinimumSeeds = 3;
}
