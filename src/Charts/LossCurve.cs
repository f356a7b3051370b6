namespace HotDistance.Charts;

/// <summary>A challenger's training loss per step, as its checkpoint recorded it; its variant names and colours it.</summary>
public sealed record LossCurve(string Variant, IReadOnlyList<double> Loss);
