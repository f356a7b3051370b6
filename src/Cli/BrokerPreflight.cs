using HotDistance.Core.Security;
using HotDistance.Hosting;

namespace HotDistance.Cli;

/// <summary>
/// One-shot verbs that announce something (ingest, rollback) check the broker before doing any work: a wrong
/// address fails in seconds with exit code 3, instead of after MassTransit's start timeout and with a crop
/// stored but not announced.
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
