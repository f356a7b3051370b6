namespace HotDistance.Catalog.Status;

/// <summary>How many messages were refused as untrusted, and the newest of them.</summary>
public sealed record SecurityEvents(long Total, IReadOnlyList<SecurityEventEntry> Latest)
{
    public static SecurityEvents None { get; } = new(0, []);
}

/// <summary>One refused message: which, refused by which endpoint, about what, and why.</summary>
public sealed record SecurityEventEntry(string MessageType, string Consumer, string Subject, string Reason, DateTimeOffset RefusedAt);
