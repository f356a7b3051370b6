using System.ComponentModel.DataAnnotations;

namespace HotDistance.Core;

/// <summary>Settings every role shares: where the workspace is and what the model segments.</summary>
public sealed record PipelineSettings
{
    public required string Workspace { get; init; }

    public IReadOnlyList<string> Classes { get; init; } = ["mito", "er"];

    /// <summary>
    /// What ingest does with a class a crop annotates that is not in <see cref="Classes"/>: refuse the crop (the
    /// default, so a typo never trains silently) or ignore the class.
    /// </summary>
    public UnlistedClassPolicy UnlistedClasses { get; init; } = UnlistedClassPolicy.Refuse;

    /// <summary>
    /// Classes segmented as instances: the CellMap challenge's instance classes (<see cref="Metrics.ScoringOptions.ChallengeInstanceClasses"/>),
    /// so its class names need no more than a place in <see cref="Classes"/>; any other class is semantic unless listed here.
    /// </summary>
    public IReadOnlyList<string> InstanceClasses { get; init; } = Metrics.ScoringOptions.ChallengeInstanceClasses;

    /// <summary>Pairs of classes that cannot overlap, so a voxel of one is a true negative of the other.</summary>
    public IReadOnlyList<string[]> MutuallyExclusive { get; init; } = [["mito", "er"]];

    public string ModelName { get; init; } = "hotdistance";

    [Range(0.0, 0.9)]

    public double HeldOutFraction { get; init; } = 0.25;
}
