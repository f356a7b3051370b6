using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HotDistance.Tests.Infrastructure;

/// <summary>
/// Asks an Erlang port mapper daemon (epmd) which node names are registered with it. Polling this is far
/// cheaper than polling with rabbitmqctl, which boots an Erlang VM per call and fails at once while the broker's
/// node has not registered yet.
/// </summary>
internal static class EpmdNames
{
    // NAMES_REQ in the epmd protocol: a two-byte big-endian length, then the request code 'n' (110).
    private static readonly byte[] NamesRequest = [0, 1, 110];

    /// <summary>
    /// True when epmd on 127.0.0.1:<paramref name="epmdPort"/> lists <paramref name="shortName"/> (the part of a
    /// node name before '@'); false when it does not or cannot be reached.
    /// </summary>
    public static async Task<bool> IsRegisteredAsync(int epmdPort, string shortName, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, epmdPort, limit.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync(NamesRequest, limit.Token).ConfigureAwait(false);

            using var reply = new MemoryStream();
            await stream.CopyToAsync(reply, limit.Token).ConfigureAwait(false);

            // The reply is epmd's own port (4 bytes) and then one "name <node> at port <port>" line per node.
            var bytes = reply.ToArray();
            if (bytes.Length < 4)
            {
                return false;
            }

            var lines = Encoding.ASCII.GetString(bytes, 4, bytes.Length - 4).Split('\n');
            return lines.Any(line => line.StartsWith($"name {shortName} at port ", StringComparison.Ordinal));
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
