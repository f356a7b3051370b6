using System.ComponentModel.DataAnnotations;
using System.Net;
using HotDistance.Core;

namespace HotDistance.Dashboard;

/// <summary>Where <c>hd serve</c> (the <c>serve</c> role) listens, and the token it asks for when anyone else can reach it.</summary>
public sealed record DashboardSettings
{
    /// <summary>The address to bind: loopback by default, so only this machine sees the pipeline.</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port (printed at start).</summary>
    [Range(0, 65535)]
    public int Port { get; init; } = 5080;

    /// <summary>
    /// Required when <see cref="Address"/> is not loopback: a browser passes it once as <c>?token=</c> (it is then kept
    /// in a cookie), a script as <c>Authorization: Bearer</c>.
    /// </summary>
    [Secret]
    public string? Token { get; init; }

    /// <summary>How often the page asks for fresh figures.</summary>
    [Range(typeof(TimeSpan), "00:00:00.2", "00:05:00")]
    public TimeSpan Refresh { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The address as an IP, or null when it is not one ("localhost" counts as 127.0.0.1).</summary>
    public IPAddress? BindAddress =>
        Address.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
        : IPAddress.TryParse(Address, out var address) ? address
        : null;

    public bool IsLoopback => BindAddress is { } address && IPAddress.IsLoopback(address);

    /// <summary>
    /// What stops the dashboard from starting: the key at fault, its value and what it allows; null when nothing
    /// does. The configuration reports it at start, and the server refuses to bind without it.
    /// </summary>
    public (string Key, object? Value, string Allowed)? Problem() =>
        BindAddress is null ? ("dashboard:address", Address, "must be an IP address: 127.0.0.1 (this machine only) or 0.0.0.0 (every interface, with a token)")
        : !IsLoopback && string.IsNullOrEmpty(Token) ? ("dashboard:token", null, $"the dashboard bound to {Address} lets other machines in: set a token (HD_DASHBOARD__TOKEN) or bind 127.0.0.1")
        : null;
}
