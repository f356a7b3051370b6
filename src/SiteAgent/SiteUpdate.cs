namespace HotDistance.SiteAgent;

/// <summary>The outcome of following the champion once: what happened, to which version, and why.</summary>
public sealed record SiteUpdate(SiteUpdateKind Kind, int? Version, int? PreviousVersion, string Detail);
