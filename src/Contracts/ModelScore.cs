namespace HotDistance.Contracts;

/// <summary>Held-out scores of one model. <see cref="Role"/> is "challenger" or "champion".</summary>
public sealed record ModelScore(
    string Variant,
    string Role,
    string CheckpointPath,
    double Overall,
    IReadOnlyDictionary<string, double> PerClass);
