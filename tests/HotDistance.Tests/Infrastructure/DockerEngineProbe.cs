using System.Net;
using System.Net.Sockets;

namespace HotDistance.Tests.Infrastructure;

/// <summary>
/// Decides quickly whether a Docker engine answers, so the broker fixture neither waits on Testcontainers'
/// own discovery nor hangs where only the docker client is installed.
/// </summary>
internal static class DockerEngineProbe
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Returns the endpoint of a Docker engine that answered its ping (null when none did) and a sentence
    /// saying what was found, for the fixture's description and error message.
    /// </summary>
    public static async Task<(string? Endpoint, string Reason)> FindAsync()
    {
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrWhiteSpace(dockerHost))
        {
            var answered = await PingAsync(dockerHost).ConfigureAwait(false);
            return answered
                ? (dockerHost, $"DOCKER_HOST={dockerHost} answered")
                : (null, $"DOCKER_HOST={dockerHost} did not answer within {PingTimeout.TotalSeconds:0} s");
        }

        var sockets = CandidateSockets().Where(File.Exists).ToList();
        foreach (var socket in sockets)
        {
            if (await PingAsync($"unix://{socket}").ConfigureAwait(false))
            {
                return ($"unix://{socket}", $"{socket} answered");
            }
        }

        return sockets.Count == 0
            ? (null, "no Docker socket found and DOCKER_HOST is not set")
            : (null, $"no Docker engine answered on {string.Join(", ", sockets)}");
    }

    private static IEnumerable<string> CandidateSockets()
    {
        yield return "/var/run/docker.sock";
        var runtimeDir = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtimeDir))
        {
            yield return Path.Combine(runtimeDir, "docker.sock");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home))
        {
            yield return Path.Combine(home, ".docker", "run", "docker.sock");
            yield return Path.Combine(home, ".docker", "desktop", "docker.sock");
        }
    }

    /// <summary>Sends GET /_ping to the engine and expects "OK"; TLS endpoints only get a TCP connect.</summary>
    private static async Task<bool> PingAsync(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            return false;
        }

        using var limit = new CancellationTokenSource(PingTimeout);
        try
        {
            using var socket = uri.Scheme switch
            {
                "unix" => new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified),
                "tcp" => new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true },
                _ => null,
            };
            if (socket is null)
            {
                return false;
            }

            EndPoint target = uri.Scheme == "unix"
                ? new UnixDomainSocketEndPoint(uri.AbsolutePath)
                : new DnsEndPoint(uri.Host, uri.Port);
            await socket.ConnectAsync(target, limit.Token).ConfigureAwait(false);

            // A TLS-protected engine (usually port 2376) would need certificates to ping; answering TCP is enough.
            if (uri.Scheme == "tcp" && uri.Port == 2376)
            {
                return true;
            }

            using var stream = new NetworkStream(socket, ownsSocket: false);
            var request = "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"u8.ToArray();
            await stream.WriteAsync(request, limit.Token).ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            var response = await reader.ReadToEndAsync(limit.Token).ConfigureAwait(false);
            return response.StartsWith("HTTP/1.", StringComparison.Ordinal)
                && response.Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
