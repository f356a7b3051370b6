using System.CommandLine;
using HotDistance.Hosting;
using HotDistance.Ingest;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace HotDistance.Cli.Commands;

/// <summary><c>hd run --roles ...</c>: a long-running process hosting any subset of the pipeline's roles.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var roles = new Option<string>("--roles")
        {
            Description = $"Comma-separated roles to host: {string.Join(", ", PipelineRoles.Available)} (site needs HD_SITE_DIR, and hd site is the easier way to run one; serve is the dashboard)",
            DefaultValueFactory = _ => string.Join(',', PipelineRoles.All),
        };
        var watch = new Option<string?>("--watch")
        {
            Description = "With the ingest role: poll this folder and ingest each <name>.zarr once <name>.zarr.ready appears (write the marker after the copy)",
        };
        var command = new Command("run", CommandHelp.WithExamples("Host pipeline roles until stopped with Ctrl+C. Run one role per machine against RabbitMQ, or all of them in one process.", "hd run", "hd run --roles trainer --rabbitmq amqp://hd-trainer:secret@broker:5672/hotdistance --workspace /mnt/hd", "hd run --roles ingest --watch /data/dropbox --rabbitmq amqp://hd-ingest:secret@broker:5672/hotdistance --workspace /mnt/hd"))
        {
            roles,
            watch,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var loaded = GlobalOptions.Load(parse);
            var settings = loaded with { Ingest = loaded.Ingest with { WatchFolder = parse.GetValue(watch) } };
            var selected = PipelineRoles.Parse(parse.GetValue(roles)!);
            if (settings.Ingest.WatchFolder is not null && !selected.Contains(IngestRole.Name))
            {
                throw new ArgumentException("--watch needs the ingest role: add ingest to --roles");
            }

            if (settings.Transport == TransportKind.InMemory && selected.Count < PipelineRoles.All.Count)
            {
                AnsiConsole.MarkupLine("[yellow]warning[/]: the in-process bus cannot reach roles in other processes; pass --rabbitmq to connect them.");
            }

            await BrokerPreflight.EnsureReachableAsync(settings, cancellationToken).ConfigureAwait(false);
            AnsiConsole.MarkupLine($"hosting [bold]{string.Join(", ", selected)}[/] on {Markup.Escape(settings.RabbitMqUri?.Host ?? "the in-process bus")}, workspace {Markup.Escape(settings.Pipeline.Workspace)}");
            using var host = PipelineHost.Build(settings, selected);
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }
}
