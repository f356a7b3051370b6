namespace HotDistance.Evaluator;

/// <summary>A model's training loss per step, as its checkpoint recorded it, and its colour in the report.</summary>
internal sealed record LossCurve(string Label, IReadOnlyList<double> Loss, int ColorIndex);
