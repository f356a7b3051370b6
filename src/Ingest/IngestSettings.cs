using System.ComponentModel.DataAnnotations;
using HotDistance.Core.Crops;

namespace HotDistance.Ingest;

/// <summary>The drop folder and quarantine: crops copied there are ingested once their ready marker appears.</summary>
public sealed record IngestSettings
{
    /// <summary>A folder to poll for <c>&lt;name&gt;</c> + <c>&lt;name&gt;.ready</c>; null disables watching.</summary>
    public string? WatchFolder { get; init; }

    /// <summary>Polling rather than file events, because events are unreliable on network mounts.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "1.00:00:00")]
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A rejected source up to this size is copied whole into quarantine; a larger CellMap dataset gets only the
    /// rejected crop's labels copied (its raw is often many GB and stays where it is), and anything still larger
    /// only its metadata files.
    /// </summary>
    [Range(0L, 1L << 40)]
    public long QuarantineCopyLimitBytes { get; init; } = 64L << 20;

    /// <summary>
    /// The narrowest Y or X extent (voxels) the trainer's network can use; narrower crops are refused. The host
    /// sets it from the trainer's architecture (thin Z is fine: such crops train the planar network).
    /// </summary>
    [Range(1, 4096)]
    public int MinimumInPlaneVoxels { get; init; } = 4;

    /// <summary>
    /// Whether this host announces the crops it stores. <c>hd ingest</c> without a broker does not: its process has no
    /// pipeline to tell, so it leaves the crops unannounced for the pipeline that runs on the workspace
    /// (<see cref="StoredCropAnnouncer"/>) instead of marking them announced to nobody.
    /// </summary>
    public bool Announce { get; init; } = true;

    /// <summary>How long a stored crop may stay unannounced before <see cref="StoredCropAnnouncer"/> announces it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan AnnounceUnannouncedAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The most voxels a crop may have; a larger one is refused before it is read (see <c>CropLimits</c>).</summary>
    [Range(1L, 1L << 34)]
    public long MaxCropVoxels { get; init; } = CropLimits.DefaultMaxVoxels;
}
