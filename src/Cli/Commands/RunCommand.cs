using System.CommandLine;
using HotDistance.Hosting;
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
            Description = $"Comma-separated roles to host: {string.Join(", ", PipelineRoles.All)}",
            DefaultValueFactory = _ => string.Join(',', PipelineRoles.All),
        };
        var command = new Command("run", "Host pipeline roles until stopped with Ctrl+C. Run one role per machine against RabbitMQ, or all of them in one process.")
        {
            roles,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var settings = GlobalOptions.Load(parse);
            var selected = PipelineRoles.Parse(parse.GetValue(roles)!);
            if (settings.Transport == TransportKind.InMemory && selected.Count < PipelineRoles.All.Count)
            {
                AnsiConsole.MarkupLine("[yellow]warning[/]: the in-process bus cannot reach roles in other processes; pass --rabbitmq to connect them.");
            }

            AnsiConsole.MarkupLine($"hosting [bold]{string.Join(", ", selected)}[/] on {Markup.Escape(settings.RabbitMqUri?.Host ?? "the in-process bus")}, workspace {Markup.Escape(settings.Pipeline.Workspace)}");
            using var host = PipelineHost.Build(settings, selected);
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }
}
