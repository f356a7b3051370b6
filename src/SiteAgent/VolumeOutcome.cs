namespace HotDistance.SiteAgent;

/// <summary>What segmenting one of a site's volumes with the champion did.</summary>
public enum VolumeOutcome
{
    /// <summary>Segmented now (every block, or those an interrupted run left).</summary>
    Segmented,

    /// <summary>This champion's segmentation was already complete (a restart, a redelivered event).</summary>
    AlreadyDone,

    /// <summary>The champion changed before it finished: left at a block boundary, its finished blocks kept.</summary>
    Abandoned,

    /// <summary>The volume could not be segmented (unreadable, refused); the reason is in the detail.</summary>
    Failed,
}
