using System.ComponentModel.DataAnnotations;

namespace HotDistance.SiteAgent;

/// <summary>Where an inference site keeps its models and how often it asks the registry for the champion.</summary>
public sealed record SiteSettings
{
    /// <summary>The site folder (models/, current.json); null when this host runs no site.</summary>
    public string? Directory { get; init; }

    /// <summary>
    /// How often the site compares its model with the registry's champion. Events make a switch prompt; the
    /// poll is what brings a site that was offline (or missed an event) up to date.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Names this site's queue on the broker. Every site needs its own queue so each one hears every promotion
    /// (a shared queue would hand each event to only one site). Default: derived from the machine and folder.
    /// </summary>
    public string? SiteId { get; init; }
}
