namespace HotDistance.Publisher;

/// <summary>A rollback of the champion, kept under rollbacks/ for audit beside the promotion records.</summary>
public sealed record RollbackRecord(string ModelName, int FromVersion, int ToVersion, string Reason, DateTimeOffset RolledBackAt);
