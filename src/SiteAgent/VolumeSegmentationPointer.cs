namespace HotDistance.SiteAgent;

/// <summary>
/// <c>&lt;output&gt;/current.json</c> of a site volume: which segmentation (<see cref="Segmentation"/>, a folder beside
/// it) is the champion's, by which model version, and the version it replaced. Replaced in one rename once the new
/// segmentation is complete, so a reader sees the old one or the new, never a partial one.
/// </summary>
public sealed record VolumeSegmentationPointer(
    string ModelName,
    int Version,
    string Sha256,
    string Segmentation,
    string Input,
    int? PreviousVersion,
    DateTimeOffset CompletedAt);
