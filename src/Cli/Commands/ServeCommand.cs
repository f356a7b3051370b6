using System.CommandLine;
using HotDistance.Dashboard;
using HotDistance.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace HotDistance.Cli.Commands;

/// <summary>
/// <c>hd serve</c>: the dashboard alone, against a workspace and catalog that pipeline hosts write (the same page a
/// host shows with <c>hd run --roles ...,serve</c>).
/// </summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int?>("--port") { Description = "The port to listen on (0: any free one). Default: dashboard:port, 5080" };
        port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 0 or > 65535)
            {
                result.AddError("--port must be from 0 to 65535");
            }
        });
        var address = new Option<string?>("--address")
        {
            Description = "The address to bind. Default: dashboard:address, 127.0.0.1 (this machine only); any other needs dashboard:token (HD_DASHBOARD__TOKEN)",
        };
        var catalog = new Option<string?>("--catalog")
        {
            Description = "The catalog the pipeline writes: postgres://user:password@host:5432/db, Host=...;Database=..., or a SQLite file. Default: HD_CATALOG, else catalog.db in the workspace",
        };
        var command = new Command("serve", CommandHelp.WithExamples(
            "Serve the dashboard: crops, generations and their training live, evaluations and their decisions, the champion's history, sites and the nightly trend. It reads the catalog, the workspace and the registry; it needs no broker.",
            "hd serve",
            "hd serve --port 8080 --workspace /mnt/hd --catalog postgres://hd:secret@db:5432/hotdistance",
            "HD_DASHBOARD__TOKEN=$(openssl rand -hex 16) hd serve --address 0.0.0.0"))
        {
            port, address, catalog,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var loaded = GlobalOptions.Load(parse);
            var settings = loaded with
            {
                // The dashboard only reads: an in-process bus keeps it independent of the broker.
                RabbitMqUri = null,
                Catalog = parse.GetValue(catalog) ?? loaded.Catalog,
                Dashboard = loaded.Dashboard with
                {
                    Port = parse.GetValue(port) ?? loaded.Dashboard.Port,
                    Address = parse.GetValue(address) ?? loaded.Dashboard.Address,
                },
            };
            using var host = PipelineHost.Build(settings, [DashboardRole.Name]);
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            var server = host.Services.GetRequiredService<DashboardServer>();
            AnsiConsole.MarkupLine($"dashboard on [link]{Markup.Escape(server.Address!.ToString())}[/] for workspace {Markup.Escape(settings.Pipeline.Workspace)}; Ctrl+C stops it");
            await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }
}
