using System.ComponentModel.DataAnnotations;
using System.Globalization;
using HotDistance.Core;

namespace HotDistance.SiteAgent;

/// <summary>Where an inference site keeps its models, how often it asks the registry for the champion, and the volumes it segments.</summary>
public sealed record SiteSettings
{
    /// <summary>The largest block or tile edge a volume may ask for: a block's buffers are allocated whole.</summary>
    public const int MaximumEdge = 1024;

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

    /// <summary>The site's own volumes, segmented with its champion, and again whenever the champion changes.</summary>
    public IReadOnlyList<SiteVolume> Volumes { get; init; } = [];

    /// <summary>Where the site segments its volumes (auto, cpu, cuda, cuda:N); the host hands it its <c>device</c>.</summary>
    [NotConfigured]
    public string? Device { get; init; }

    /// <summary>The key of volume <paramref name="index"/> (or of its <paramref name="field"/>), as problems and logs name it.</summary>
    public static string VolumeKey(int index, string? field = null) =>
        string.Create(CultureInfo.InvariantCulture, $"site:volumes:{index}{(field is null ? string.Empty : ":" + field)}");

    /// <summary>The rules the volumes' attributes cannot say: each as the key, its value and what is allowed.</summary>
    public IEnumerable<(string Key, object? Value, string Allowed)> Problems()
    {
        var outputs = new Dictionary<string, int>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        for (var i = 0; i < Volumes.Count; i++)
        {
            var volume = Volumes[i];
            if (string.IsNullOrWhiteSpace(volume.Input))
            {
                yield return (VolumeKey(i, "input"), volume.Input, "name the raw to segment, as hd predict --input takes it: an OME-Zarr raw group (<dataset>.zarr/recon-1/em/fibsem-uint8), a 3-D Zarr array or a CellMap crop group");
            }

            if (string.IsNullOrWhiteSpace(volume.Output))
            {
                yield return (VolumeKey(i, "output"), volume.Output, "name a folder for this volume's segmentations (one v<N>.zarr per champion version and current.json), e.g. /data/segmentations/jrc_cell");
            }
            else if (Path.TrimEndingDirectorySeparator(Path.GetFullPath(volume.Output)) is var folder && !outputs.TryAdd(folder, i))
            {
                var first = outputs[folder];
                yield return (VolumeKey(i, "output"), volume.Output, $"is also {VolumeKey(first, "output")}: give each volume its own folder");
            }

            foreach (var (field, edge) in new[] { ("block", volume.Block), ("tile", volume.Tile) })
            {
                if (edge is < 1 or > MaximumEdge)
                {
                    yield return (VolumeKey(i, field), edge, string.Create(CultureInfo.InvariantCulture, $"must be from 1 to {MaximumEdge} voxels per edge, as hd predict --{field} takes"));
                }
            }
        }
    }
}
