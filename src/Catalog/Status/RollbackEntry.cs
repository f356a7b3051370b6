namespace HotDistance.Catalog.Status;

/// <summary>The champion moved back by hand (<c>hd rollback</c>): from which version to which, and why.</summary>
public sealed record RollbackEntry(string ModelName, long Version, long FromVersion, string Reason, DateTimeOffset RolledBackAt);
