using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDistance.Dashboard;

/// <summary>
/// The dashboard's web server, started and stopped with the host that runs the <c>serve</c> role. It is a web
/// application of its own (Kestrel, minimal API) inside the host, so a pipeline host stays a generic host and the
/// dashboard adds only what it serves.
/// </summary>
public sealed class DashboardServer(DashboardSettings settings, DashboardData data, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private WebApplication? app;

    /// <summary>Where the dashboard answers, once started (with the port chosen when <see cref="DashboardSettings.Port"/> is 0).</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.Problem() is { } problem)
        {
            throw new ArgumentException($"{problem.Key} = '{problem.Value}': {problem.Allowed}");
        }

        var address = settings.BindAddress!;
        // An empty builder: no configuration sources of its own (ASPNETCORE_URLS and the like cannot move it).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(address, settings.Port));
        builder.Services.AddRoutingCore();
        // The host running the role owns Ctrl+C and says when it started; this inner application must not.
        builder.Services.AddSingleton<IHostLifetime, InnerLifetime>();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddSingleton(data);
        builder.Services.AddSingleton(settings);
        app = builder.Build();
        DashboardEndpoints.Map(app, settings);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        // Kestrel says where it bound (with the port it chose for 0); on every interface, the machine's name is the way in.
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Address = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? new UriBuilder(bound) { Host = Environment.MachineName }.Uri : bound;
        loggers.CreateLogger<DashboardServer>().LogInformation(
            "dashboard on {Address}{Token}", Address, string.IsNullOrEmpty(settings.Token) ? "" : " (open it with ?token=<dashboard:token>)");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (app is not null)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class InnerLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
