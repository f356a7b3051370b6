using System.Globalization;
using System.Text.Json;
using HotDistance.Core;
using HotDistance.Core.IO;
using HotDistance.Core.Registry;
using HotDistance.Learning.Checkpoints;
using Microsoft.Extensions.Logging;

namespace HotDistance.SiteAgent;

/// <summary>
/// The site agent's work: make the site run the registry's champion. Events (a promotion, a rollback) and the
/// poll both only trigger a look at the champion alias, so a stale or duplicate event cannot move the site
/// anywhere but to the current champion, and doing it twice does nothing the second time. A new version is
/// downloaded beside the current one, verified, renamed into models/v&lt;N&gt;/, and only then made current with
/// one atomic write of current.json; a model that fails its checksum is refused and the site keeps its model.
/// </summary>
public sealed class ChampionFollower(
    SiteLayout site,
    PipelineSettings pipeline,
    IModelRegistry registry,
    ILogger<ChampionFollower> logger)
{
    private bool reportedNoChampion;

    /// <summary>Raised once current.json names a new version (inside the site's lock: handlers only take note).</summary>
    public event EventHandler<SitePointer>? Switched;

    public SiteLayout Site => site;

    /// <summary>
    /// Follows the champion. <paramref name="announced"/> is what an event claimed (version and checksum): when it
    /// names the champion's version but another checksum, the event and the registry disagree and the site waits.
    /// </summary>
    public async Task<SiteUpdate> FollowChampionAsync(string trigger, (int Version, string Sha256)? announced, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        // One switch at a time per site folder, also across processes (a site agent and an hd predict that fetches).
        using var gate = await DirectoryLock.AcquireAsync(site.Root, cancellationToken).ConfigureAwait(false);
        var current = site.ReadCurrent();
        var champion = await registry.GetByAliasAsync(pipeline.ModelName, RegistryAliases.Champion, cancellationToken).ConfigureAwait(false);
        if (champion is null)
        {
            // Said once, not at every poll while the pipeline has yet to promote anything.
            logger.Log(reportedNoChampion ? LogLevel.Debug : LogLevel.Information,
                "site {Site}: {Trigger}: model '{Model}' has no champion yet", site.Root, trigger, pipeline.ModelName);
            reportedNoChampion = true;
            return new SiteUpdate(SiteUpdateKind.NoChampion, current?.Version, null, "no champion in the registry");
        }

        if (current?.Version == champion.Version)
        {
            return new SiteUpdate(SiteUpdateKind.AlreadyCurrent, champion.Version, current.PreviousVersion, $"already runs v{champion.Version}");
        }

        if (announced is { } claim && claim.Version == champion.Version
            && !string.Equals(claim.Sha256, champion.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(trigger, champion.Version, current, $"the event announced SHA-256 {claim.Sha256} for v{claim.Version} but the registry records {champion.Sha256}");
        }

        var problem = await FetchAsync(champion, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return Refuse(trigger, champion.Version, current, problem);
        }

        var pointer = new SitePointer(
            pipeline.ModelName,
            champion.Version,
            champion.Sha256,
            champion.Tags.TryGetValue("variant", out var variant) ? variant : ReadVariant(site.ModelDirectory(champion.Version)),
            current?.Version,
            trigger,
            DateTimeOffset.UtcNow);
        site.WriteCurrent(pointer);
        Prune(pointer);
        logger.LogInformation("site {Site}: {Trigger}: switched to {Model} v{Version} (was {Previous})",
            site.Root, trigger, pipeline.ModelName, champion.Version, current is null ? "none" : "v" + current.Version.ToString(CultureInfo.InvariantCulture));
        Switched?.Invoke(this, pointer);
        return new SiteUpdate(SiteUpdateKind.Switched, champion.Version, current?.Version, trigger);
    }

    /// <summary>Puts a verified copy of <paramref name="version"/> at models/v&lt;N&gt;/; returns why not, or null.</summary>
    private async Task<string?> FetchAsync(ModelVersion version, CancellationToken cancellationToken)
    {
        var target = site.ModelDirectory(version.Version);
        if (Directory.Exists(target) && ArtifactVerifier.Problem(target, version.Sha256) is null)
        {
            return null; // kept from an earlier switch (a rollback to the previous version needs no download)
        }

        return await ArtifactVerifier.DownloadVerifiedAsync(registry, version, target, cancellationToken).ConfigureAwait(false);
    }

    private SiteUpdate Refuse(string trigger, int version, SitePointer? current, string problem)
    {
        logger.LogWarning("site {Site}: {Trigger}: refused {Model} v{Version}: {Problem}; keeping {Current}",
            site.Root, trigger, pipeline.ModelName, version, problem, current is null ? "no model" : "v" + current.Version.ToString(CultureInfo.InvariantCulture));
        return new SiteUpdate(SiteUpdateKind.Refused, current?.Version, current?.PreviousVersion, $"refused v{version}: {problem}");
    }

    /// <summary>Keeps the current and the previous version (for a quick rollback); removes the rest.</summary>
    private void Prune(SitePointer pointer)
    {
        foreach (var version in site.ListVersions())
        {
            if (version == pointer.Version || version == pointer.PreviousVersion)
            {
                continue;
            }

            try
            {
                Directory.Delete(site.ModelDirectory(version), recursive: true);
            }
            catch (IOException exception)
            {
                logger.LogWarning("site {Site}: could not remove old model v{Version}: {Message}", site.Root, version, exception.Message);
            }
        }
    }

    private static string ReadVariant(string directory)
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, Checkpoint.MetadataFile)));
        return metadata.RootElement.TryGetProperty(nameof(CheckpointMetadata.Variant), out var variant) ? variant.GetString() ?? "unknown" : "unknown";
    }
}
