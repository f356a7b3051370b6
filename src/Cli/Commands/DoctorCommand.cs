using System.CommandLine;
using HotDistance.Catalog;
using HotDistance.Catalog.Status;
using HotDistance.Core.Registry;
using HotDistance.Core.Security;
using HotDistance.Core.Workspace;
using HotDistance.Hosting;
using HotDistance.Learning.Runtime;
using Spectre.Console;

namespace HotDistance.Cli.Commands;

/// <summary><c>hd doctor</c>: what this machine offers the pipeline, and what is missing.</summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", CommandHelp.WithExamples("Check libtorch, devices, threads, the transport, and whether the broker, the registry and the catalog answer.", "hd doctor", "hd doctor --rabbitmq amqp://hd-admin:secret@broker:5672/hotdistance"));
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var settings = GlobalOptions.Load(parse);
            var healthy = true;
            var table = new Table().AddColumns("check", "result");

            try
            {
                var torch = TorchRuntime.Describe();
                table.AddRow("libtorch", Markup.Escape($"{torch.LibTorchVersion} (TorchSharp {torch.TorchSharpVersion})"));
                table.AddRow("devices", Markup.Escape(torch.CudaAvailable ? $"cpu, cuda x{torch.CudaDeviceCount} ({torch.Backend} build)" : $"cpu (no CUDA; {torch.Backend} build)"));
                table.AddRow("threads", torch.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
                table.AddRow("oneDNN ISA", Markup.Escape($"{torch.OneDnnIsa.MaxIsa ?? "uncapped"}: {torch.OneDnnIsa.Reason}"));
                table.AddRow("natives", Markup.Escape($"{torch.NativesDirectory} ({torch.NativesSource})"));
                table.AddRow("libstdc++", Markup.Escape(torch.LibStdCxxPatchApplied
                    ? $"{torch.LibStdCxxPath} lacks {TorchRuntime.MissingGlibcxxVersion}: using the patched {torch.LoadedLibTorchSharp}"
                    : $"{torch.LibStdCxxPath}: no patch needed"));
            }
            catch (TorchUnavailableException exception)
            {
                healthy = false;
                table.AddRow("libtorch", $"[red]missing[/]: {Markup.Escape(exception.Message)}");
            }

            table.AddRow("zarr codecs", Markup.Escape(HotDistance.Core.Zarr.ZarrCodecs.Backend));
            table.AddRow("workspace", Markup.Escape(settings.Pipeline.Workspace));
            table.AddRow("registry", Markup.Escape(settings.Registry == "local" ? $"local ({Path.Combine(settings.Pipeline.Workspace, "registry")})" : $"{settings.Registry} ({(settings.MlflowTrackingUri is { } mlflow ? Redaction.Uri(mlflow) : "no MLFLOW_TRACKING_URI")})"));
            var (registryAnswers, registryDetail) = await CheckRegistryAsync(settings, cancellationToken).ConfigureAwait(false);
            healthy &= registryAnswers;
            table.AddRow("registry answers", registryAnswers ? $"[green]yes[/] ({Markup.Escape(registryDetail)})" : $"[red]no[/]: {Markup.Escape(registryDetail)}");
            var (catalogAnswers, catalogDetail) = await CheckCatalogAsync(settings, cancellationToken).ConfigureAwait(false);
            healthy &= catalogAnswers;
            table.AddRow("catalog", catalogAnswers ? $"[green]answers[/] ({Markup.Escape(catalogDetail)})" : $"[red]no answer[/]: {Markup.Escape(catalogDetail)}");
            if (settings.RabbitMqUri is { } uri)
            {
                var probe = await BrokerProbe.CheckAsync(uri, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                healthy &= probe.Reachable;
                table.AddRow("transport", Markup.Escape($"rabbitmq {Redaction.Uri(uri)}"));
                table.AddRow("broker", probe.Reachable ? $"[green]answers[/] ({Markup.Escape(probe.Detail)})" : $"[red]unreachable[/]: {Markup.Escape(probe.Detail)}");
            }
            else
            {
                table.AddRow("transport", "in-process (pass --rabbitmq or set HD_RABBITMQ for RabbitMQ)");
            }

            AnsiConsole.Write(table);
            return healthy ? ExitCodes.Success : ExitCodes.Unavailable;
        }));
        return command;
    }

    private static readonly TimeSpan CheckLimit = ChampionAlias.Limit;

    private static async Task<(bool Answers, string Detail)> CheckRegistryAsync(HostSettings settings, CancellationToken cancellationToken)
    {
        var (champion, problem) = await RegistryChampion.AskAsync(settings, cancellationToken).ConfigureAwait(false);
        return problem is not null
            ? (false, problem)
            : (true, champion is null ? $"no champion of {settings.Pipeline.ModelName} yet" : $"champion {champion.ModelName} v{champion.Version}");
    }

    /// <summary>Reads the catalog's status, within <see cref="CheckLimit"/>; a SQLite catalog not created yet is fine.</summary>
    private static async Task<(bool Answers, string Detail)> CheckCatalogAsync(HostSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            var connection = CatalogConnection.Parse(settings.Catalog, settings.Pipeline.Workspace);
            if (connection.Kind == CatalogKind.None)
            {
                return (true, "switched off (HD_CATALOG=none)");
            }

            var catalog = connection.Open();
            if (connection.Kind == CatalogKind.Sqlite && !File.Exists(connection.Target))
            {
                return (true, $"{catalog.Description}, not created yet");
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(CheckLimit);
            var status = await catalog.ReadStatusAsync(new StatusLimits(1, 1, 1, 1, 1), deadline.Token).ConfigureAwait(false);
            return (true, $"{catalog.Description}, {status.Crops.Total} crops");
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, Redaction.Text(exception is OperationCanceledException ? $"no answer within {CheckLimit.TotalSeconds:0} s" : exception.Message));
        }
    }
}
