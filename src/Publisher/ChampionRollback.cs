using System.Globalization;
using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.IO;
using HotDistance.Core.Registry;
using HotDistance.Core.Workspace;

namespace HotDistance.Publisher;

/// <summary>
/// Moves the champion alias back to an earlier version, by hand, when a promoted model misbehaves in the field.
/// The rolled-back version becomes <see cref="RegistryAliases.PreviousChampion"/>, so a second rollback without a
/// target undoes the first. Every rollback is recorded with its reason under <c>&lt;workspace&gt;/rollbacks/</c>.
/// </summary>
public sealed class ChampionRollback(WorkspaceLayout workspace, PipelineSettings pipeline, IModelRegistry registry)
{
    public string RecordsDirectory => Path.Combine(workspace.Root, "rollbacks");

    /// <summary>
    /// Makes <paramref name="toVersion"/> (default: the previous champion) the champion and returns the message
    /// that tells the sites. Throws <see cref="InvalidOperationException"/> when there is no champion, nowhere to
    /// go back to, or the version does not exist; returns null when the target is already the champion.
    /// </summary>
    public async Task<ChampionRolledBack?> RollBackAsync(int? toVersion, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var model = pipeline.ModelName;
        var champion = await registry.GetByAliasAsync(model, RegistryAliases.Champion, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"model '{model}' has no champion yet, so there is nothing to roll back");
        int target;
        if (toVersion is { } requested)
        {
            target = requested;
        }
        else
        {
            var previous = await registry.GetByAliasAsync(model, RegistryAliases.PreviousChampion, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"model '{model}' has no previous champion (v{champion.Version} is the first); name a version to roll back to");
            target = previous.Version;
        }

        if (target == champion.Version)
        {
            return null;
        }

        var versions = await registry.ListVersionsAsync(model, cancellationToken).ConfigureAwait(false);
        var chosen = versions.FirstOrDefault(v => v.Version == target)
            ?? throw new InvalidOperationException(
                $"model '{model}' has no version {target}; its versions are {string.Join(", ", versions.Select(v => v.Version.ToString(CultureInfo.InvariantCulture)))}");

        await registry.SetAliasAsync(model, RegistryAliases.PreviousChampion, champion.Version, cancellationToken).ConfigureAwait(false);
        await registry.SetAliasAsync(model, RegistryAliases.Champion, chosen.Version, cancellationToken).ConfigureAwait(false);
        var at = DateTimeOffset.UtcNow;
        var record = new RollbackRecord(model, champion.Version, chosen.Version, reason, at);
        var name = string.Create(CultureInfo.InvariantCulture, $"{at:yyyyMMdd'T'HHmmssfff'Z'}-v{champion.Version}-to-v{chosen.Version}.json");
        AtomicFile.WriteJson(Path.Combine(RecordsDirectory, name), record);
        return new ChampionRolledBack(model, chosen.Version, champion.Version, chosen.Sha256, reason, at);
    }
}
