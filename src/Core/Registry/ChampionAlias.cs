using HotDistance.Core.Security;

namespace HotDistance.Core.Registry;

/// <summary>
/// Asks a registry for its champion alias within <see cref="Limit"/>, for whatever reports on it (<c>hd status</c>,
/// <c>hd doctor</c>, the dashboard): a registry that is down costs seconds and comes back as a problem, redacted.
/// </summary>
public static class ChampionAlias
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public static async Task<(ModelVersion? Champion, string? Problem)> AskAsync(IModelRegistry registry, string modelName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Limit);
        try
        {
            return (await registry.GetByAliasAsync(modelName, RegistryAliases.Champion, deadline.Token).ConfigureAwait(false), null);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, Redaction.Text(exception is OperationCanceledException ? $"no answer within {Limit.TotalSeconds:0} s" : exception.Message));
        }
    }
}
