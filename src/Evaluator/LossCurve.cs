namespace HotDistance.Evaluator;

/// <summary>A model's training loss per step, as its checkpoint recorded it, and its colour in the report.</summary>
public sealed record LossCurve(string Label, IReadOnlyList<double> Loss, string Variant, string Role = ModelRoles.Challenger);
