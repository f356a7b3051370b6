namespace HotDistance.Ingest;

/// <summary>The drop folder: crops copied there are ingested once their ready marker appears.</summary>
public sealed record IngestSettings
{
    /// <summary>A folder to poll for <c>&lt;name&gt;.zarr</c> + <c>&lt;name&gt;.zarr.ready</c>; null disables watching.</summary>
    public string? WatchFolder { get; init; }

    /// <summary>Polling rather than file events, because events are unreliable on network mounts.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);
}
