using System.ComponentModel.DataAnnotations;

namespace HotDistance.Core;

/// <summary>Settings every role shares: where the workspace is and what the model segments.</summary>
public sealed record PipelineSettings
{
    public required string Workspace { get; init; }

    public IReadOnlyList<string> Classes { get; init; } = ["mito", "er"];

    /// <summary>Classes scored as instances (CellMap's list); the rest are scored semantically.</summary>
    public IReadOnlyList<string> InstanceClasses { get; init; } = ["nuc", "ves", "endo", "lyso", "ld", "perox", "mito", "np", "mt", "cell"];

    /// <summary>Pairs of classes that cannot overlap, so a voxel of one is a true negative of the other.</summary>
    public IReadOnlyList<string[]> MutuallyExclusive { get; init; } = [["mito", "er"]];

    public string ModelName { get; init; } = "hotdistance";

    [Range(0.0, 0.9)]

    public double HeldOutFraction { get; init; } = 0.25;
}
