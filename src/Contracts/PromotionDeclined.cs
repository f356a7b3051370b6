namespace HotDistance.Contracts;

/// <summary>An evaluation named no winner, so the champion stays; recorded with its reason.</summary>
public sealed record PromotionDeclined(string GenerationId, string Reason, DateTimeOffset DeclinedAt);
