namespace HotDistance.SiteAgent;

/// <summary>What one attempt to follow the champion did.</summary>
public enum SiteUpdateKind
{
    /// <summary>The site now runs a new version.</summary>
    Switched,

    /// <summary>The site already runs the champion (a duplicate event, a poll with nothing new).</summary>
    AlreadyCurrent,

    /// <summary>The registry has no champion yet.</summary>
    NoChampion,

    /// <summary>The download failed its checksum (or the event and the registry disagree); the site kept its model.</summary>
    Refused,
}
