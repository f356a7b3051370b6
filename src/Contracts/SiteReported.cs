namespace HotDistance.Contracts;

/// <summary>
/// An inference site runs <see cref="ModelName"/> version <see cref="Version"/>, whose weights have the SHA-256
/// <see cref="Sha256"/>: said when the site starts with a model and whenever it switches to another. The newest
/// <see cref="ReportedAt"/> of a site is what it runs now. Domain key: <see cref="Site"/> (its site id, else its
/// machine and folder).
/// </summary>
public sealed record SiteReported(string Site, string ModelName, int Version, string Sha256, DateTimeOffset ReportedAt);
