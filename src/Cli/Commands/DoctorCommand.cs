using System.CommandLine;
using HotDistance.Core.Security;
using HotDistance.Hosting;
using HotDistance.Learning.Runtime;
using Spectre.Console;

namespace HotDistance.Cli.Commands;

/// <summary><c>hd doctor</c>: what this machine offers the pipeline, and what is missing.</summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "Check libtorch, devices, threads, the transport, the registry and whether the broker answers.");
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
}
