namespace HotDistance.Evaluator;

public sealed record EvaluatorSettings
{
    /// <summary>How much a challenger's overall score must exceed the champion's to replace it.</summary>
    public double PromotionMargin { get; init; }
}
