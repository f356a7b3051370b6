using System.CommandLine;
using HotDistance.Core.Workspace;
using HotDistance.Hosting;
using HotDistance.Publisher;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace HotDistance.Cli.Commands;

/// <summary>
/// <c>hd rollback [--to N]</c>: moves the champion back to the previous champion (or version N), records why,
/// and announces it so the inference sites follow.
/// </summary>
public static class RollbackCommand
{
    public static Command Create()
    {
        var to = new Option<int?>("--to") { Description = "The version to make champion. Default: the previous champion" };
        var reason = new Option<string>("--reason")
        {
            Description = "Why, for the record under <workspace>/rollbacks/ and the sites' logs",
            DefaultValueFactory = _ => "manual rollback",
        };
        var command = new Command("rollback", CommandHelp.WithExamples("Move the champion back to the previous champion (or --to a version), record why, and tell the inference sites. Rolling back twice undoes the first rollback.", "hd rollback --reason \"v7 splits nuclei\"", "hd rollback --to 5 --reason \"back to the model before the new crops\""))
        {
            to, reason,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var settings = GlobalOptions.Load(parse);
            await BrokerPreflight.EnsureReachableAsync(settings, cancellationToken).ConfigureAwait(false);
            var workspace = new WorkspaceLayout(settings.Pipeline.Workspace);
            var rollback = new ChampionRollback(workspace, settings.Pipeline, ModelRegistries.Create(settings, workspace));
            var why = parse.GetValue(reason);
            if (string.IsNullOrWhiteSpace(why))
            {
                throw new ArgumentException("--reason is empty; say why the champion goes back");
            }

            Contracts.ChampionRolledBack? message;
            try
            {
                message = await rollback.RollBackAsync(parse.GetValue(to), why, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException exception)
            {
                CommandRunner.Error(exception.Message);
                return ExitCodes.BadInput;
            }

            if (message is null)
            {
                AnsiConsole.MarkupLine($"v{parse.GetValue(to)} is already the champion of {Markup.Escape(settings.Pipeline.ModelName)}; nothing changed");
                return ExitCodes.Success;
            }

            AnsiConsole.MarkupLine($"champion of {Markup.Escape(settings.Pipeline.ModelName)}: v{message.FromVersion} -> [bold]v{message.Version}[/] ({Markup.Escape(message.Reason)}); recorded in {Markup.Escape(rollback.RecordsDirectory)}");
            if (settings.RabbitMqUri is null)
            {
                AnsiConsole.MarkupLine("[grey]no broker (--rabbitmq): sites follow at their next poll[/]");
                return ExitCodes.Success;
            }

            using var host = PipelineHost.Build(settings, [], logging: l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            await host.Services.GetRequiredService<IBus>().Publish(message, cancellationToken).ConfigureAwait(false);
            await host.StopAsync(cancellationToken).ConfigureAwait(false);
            AnsiConsole.MarkupLine($"announced on {Markup.Escape(settings.RabbitMqUri.Host)}: sites switch to v{message.Version} now");
            return ExitCodes.Success;
        }));
        return command;
    }
}
