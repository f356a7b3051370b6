namespace HotDistance.Contracts;

/// <summary>The steps after training at which a generation can stall (<see cref="GenerationStalled"/>).</summary>
public static class GenerationStages
{
    public const string Evaluation = "evaluation";
    public const string Promotion = "promotion";
}
