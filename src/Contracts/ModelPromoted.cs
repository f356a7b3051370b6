namespace HotDistance.Contracts;

/// <summary>A model version became the champion in the registry; inference sites pull it.</summary>
public sealed record ModelPromoted(
    string ModelName,
    int Version,
    string GenerationId,
    string Variant,
    string ModelUri,
    string Sha256,
    double Overall,
    DateTimeOffset PromotedAt);
