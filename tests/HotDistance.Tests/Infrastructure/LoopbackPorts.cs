using System.Net;
using System.Net.Sockets;

namespace HotDistance.Tests.Infrastructure;

/// <summary>Loopback TCP port helpers for processes the tests start themselves.</summary>
internal static class LoopbackPorts
{
    /// <summary>
    /// Returns <paramref name="count"/> distinct ports that were free on 127.0.0.1 a moment ago. The listeners
    /// are all held until every port is chosen so the kernel cannot hand out the same one twice; another process
    /// can still take a port before its new owner binds it, which callers handle by retrying.
    /// </summary>
    public static int[] Reserve(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }

    /// <summary>True when something accepts a TCP connection on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<bool> AcceptsAsync(int port, TimeSpan timeout)
    {
        using var client = new TcpClient();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, limit.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
