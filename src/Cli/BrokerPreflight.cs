using HotDistance.Core.Security;
using HotDistance.Hosting;

namespace HotDistance.Cli;

/// <summary>
/// Verbs that need the broker (ingest and rollback, which announce something; run and site, which host roles)
/// check it before doing any work: a wrong address fails in seconds with one line and exit code 3, instead of
/// after MassTransit's start timeout with its retry traces, or with a crop stored but not announced.
/// </summary>
public static class BrokerPreflight
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task EnsureReachableAsync(HostSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.RabbitMqUri is not { } uri)
        {
            return;
        }

        var probe = await BrokerProbe.CheckAsync(uri, Timeout, cancellationToken).ConfigureAwait(false);
        if (!probe.Reachable)
        {
            throw new BrokerUnavailableException(
                $"the RabbitMQ broker at {Redaction.Uri(uri)} does not answer ({probe.Detail}); nothing was done. Check --rabbitmq / HD_RABBITMQ and that the broker runs (./hd doctor).");
        }
    }
}

/// <summary>The broker a verb needs does not answer.</summary>
public sealed class BrokerUnavailableException(string message) : Exception(message);
