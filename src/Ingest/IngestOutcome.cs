namespace HotDistance.Ingest;

/// <summary>What happened to one crop found at a source path.</summary>
public sealed record IngestOutcome(string Source, string? CropId, string Status, string? Split, string? Reason)
{
    public const string Added = "added";
    public const string Duplicate = "duplicate";
    public const string Rejected = "rejected";
}
