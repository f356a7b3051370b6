namespace HotDistance.Publisher;

/// <summary>The outcome of one evaluation at the publisher, kept under promotions/ for audit.</summary>
public sealed record PromotionRecord(string GenerationId, bool Promoted, int? Version, string Reason, DateTimeOffset DecidedAt);
