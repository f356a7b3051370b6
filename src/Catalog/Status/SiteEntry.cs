namespace HotDistance.Catalog.Status;

/// <summary>The model an inference site runs, from its newest report.</summary>
public sealed record SiteEntry(string Site, string ModelName, int Version, string Sha256, DateTimeOffset ReportedAt);
