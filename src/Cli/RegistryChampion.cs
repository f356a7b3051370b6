using HotDistance.Core.Registry;
using HotDistance.Core.Security;
using HotDistance.Core.Workspace;
using HotDistance.Hosting;

namespace HotDistance.Cli;

/// <summary>
/// Asks the configured registry for its champion alias within <see cref="Limit"/>, for verbs that report on it
/// (<c>hd status</c>, <c>hd doctor</c>): a registry that is down costs seconds and comes back as a problem, redacted.
/// </summary>
public static class RegistryChampion
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public static async Task<(ModelVersion? Champion, string? Problem)> AskAsync(HostSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Limit);
        try
        {
            var registry = ModelRegistries.Create(settings, new WorkspaceLayout(settings.Pipeline.Workspace));
            return (await registry.GetByAliasAsync(settings.Pipeline.ModelName, RegistryAliases.Champion, deadline.Token).ConfigureAwait(false), null);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, Redaction.Text(exception is OperationCanceledException ? $"no answer within {Limit.TotalSeconds:0} s" : exception.Message));
        }
    }
}
