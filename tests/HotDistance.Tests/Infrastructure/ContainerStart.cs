using DotNet.Testcontainers.Containers;

namespace HotDistance.Tests.Infrastructure;

/// <summary>Starting a Testcontainers container for a fixture, which then falls back to its next source on failure.</summary>
internal static class ContainerStart
{
    /// <summary>Null when <paramref name="container"/> started; else why not (the container is disposed).</summary>
    public static async Task<string?> TryAsync(IContainer container, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(container);
        try
        {
            using var limit = new CancellationTokenSource(timeout);
            await container.StartAsync(limit.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await container.DisposeAsync().ConfigureAwait(false);
            return e.GetBaseException().Message;
        }
    }
}
