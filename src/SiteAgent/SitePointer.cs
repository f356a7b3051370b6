namespace HotDistance.SiteAgent;

/// <summary>
/// The site's current model (current.json): which version, its checksum, the version it replaced, and why the
/// site switched. It is replaced atomically, so a reader sees the old pointer or the new, never a torn one.
/// </summary>
public sealed record SitePointer(
    string ModelName,
    int Version,
    string Sha256,
    string Variant,
    int? PreviousVersion,
    string Reason,
    DateTimeOffset SwitchedAt);
