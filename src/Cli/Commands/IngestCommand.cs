using System.CommandLine;
using HotDistance.Hosting;
using HotDistance.Ingest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace HotDistance.Cli.Commands;

/// <summary><c>hd ingest &lt;path&gt;...</c>: validate and store crops, and announce them on the bus.</summary>
public static class IngestCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Crops to ingest: CellMap datasets (<dataset>.zarr: every crop) or crop groups (<dataset>.zarr/recon-1/labels/groundtruth/crop3: that crop), TIFF folders with crop.json, CREMI HDF5 files (.h5/.hdf5/.hdf)", Arity = ArgumentArity.OneOrMore };
        var split = new Option<string?>("--split") { Description = "train, heldout, or auto (deterministic by content hash; default)" };
        var command = new Command("ingest", CommandHelp.WithExamples("Validate crops, add them to the content-addressed crop store, and announce them to the pipeline.", "hd ingest /data/jrc_cell.zarr", "hd ingest /data/tiff-crop --split heldout", "hd ingest /data/sample_A.hdf --rabbitmq amqp://hd-ingest:secret@broker:5672/hotdistance --workspace /mnt/hd"))
        {
            paths,
            split,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var loaded = GlobalOptions.Load(parse);
            await BrokerPreflight.EnsureReachableAsync(loaded, cancellationToken).ConfigureAwait(false);

            // Without a broker this process has no pipeline to tell: the crops stay unannounced in the store, and
            // the pipeline running on the workspace (hd run) announces them within seconds, or when it next starts.
            var offline = loaded.RabbitMqUri is null;
            var settings = offline ? loaded with { Ingest = loaded.Ingest with { Announce = false } } : loaded;
            // The outcome table says what happened to each crop, rejections and their reasons included; only other
            // warnings need the log.
            using var host = PipelineHost.Build(
                settings,
                [IngestRole.Name],
                logging: l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning).AddFilter(typeof(CropIngestor).FullName, LogLevel.Error));
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            var outcomes = new List<IngestOutcome>();
            using (var scope = host.Services.CreateScope())
            {
                var ingestor = scope.ServiceProvider.GetRequiredService<CropIngestor>();
                foreach (var path in parse.GetValue(paths)!)
                {
                    outcomes.AddRange(await ingestor.IngestAsync(path, parse.GetValue(split), cancellationToken).ConfigureAwait(false));
                }
            }

            await host.StopAsync(cancellationToken).ConfigureAwait(false);
            var table = new Table().AddColumns("source", "status", "crop", "split", "reason");
            foreach (var outcome in outcomes)
            {
                var status = outcome.Status == IngestOutcome.Rejected ? $"[red]{outcome.Status}[/]" : outcome.Status;
                table.AddRow(Markup.Escape(outcome.Source), status, outcome.CropId ?? "-", outcome.Split ?? "-", Markup.Escape(outcome.Reason ?? string.Empty));
            }

            AnsiConsole.Write(table);
            if (offline && outcomes.Any(o => o.Status == IngestOutcome.Added))
            {
                AnsiConsole.MarkupLine($"[grey]no broker (--rabbitmq): the crops are stored, not yet announced; a pipeline running on {Markup.Escape(settings.Pipeline.Workspace)} (hd run) trains them within {(settings.Ingest.AnnounceUnannouncedAfter + settings.Ingest.PollInterval).TotalSeconds:0} s, or when it next starts[/]");
            }

            return outcomes.Any(o => o.Status == IngestOutcome.Rejected) ? ExitCodes.BadInput : ExitCodes.Success;
        }));
        return command;
    }
}
