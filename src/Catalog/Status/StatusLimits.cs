namespace HotDistance.Catalog.Status;

/// <summary>How much history a status read returns (newest first).</summary>
public sealed record StatusLimits(int Generations = 10, int Evaluations = 5, int Promotions = 50, int Rejections = 5, int SecurityEvents = 5, int Nightly = 30)
{
    public static StatusLimits Default { get; } = new();
}
