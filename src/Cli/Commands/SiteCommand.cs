using System.CommandLine;
using System.Globalization;
using HotDistance.Core.Registry;
using HotDistance.Core.Workspace;
using HotDistance.Hosting;
using HotDistance.SiteAgent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace HotDistance.Cli.Commands;

/// <summary>
/// <c>hd site --dir &lt;folder&gt;</c>: an inference site that keeps the champion in a local folder, switching when a
/// promotion or rollback is announced and catching up by polling the registry.
/// </summary>
public static class SiteCommand
{
    public static Command Create()
    {
        var directory = new Option<string>("--dir")
        {
            Description = "The site folder: models/v<N>/ holds the verified versions (current and previous), current.json names the one in use",
            Required = true,
        };
        var poll = new Option<double>("--poll")
        {
            Description = "Seconds between looks at the registry's champion; the poll catches up a site that was offline or missed an event",
            DefaultValueFactory = _ => 60,
        };
        var siteId = new Option<string?>("--site-id")
        {
            Description = "Names this site's queue on the broker (each site needs its own to hear every promotion). Default: machine name and a hash of --dir",
        };
        var once = new Option<bool>("--once") { Description = "Follow the champion once, segment the site's volumes (site:volumes) with it, and exit (exit 1 when the download failed its checksum or a volume could not be segmented)" };
        var command = new Command("site", CommandHelp.WithExamples("Run an inference site: fetch the champion into a local folder, verify its SHA-256, switch atomically, follow promotions and rollbacks (with --rabbitmq) or by polling, and segment the site's own volumes (site:volumes in hd.json) with each champion into <output>/v<N>.zarr.", "hd site --dir /data/site --once", "hd site --dir /data/site --poll 60 --site-id lab-a --rabbitmq amqp://hd-site:secret@broker:5672/hotdistance"))
        {
            directory, poll, siteId, once,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var seconds = parse.GetValue(poll);
            if (!(seconds > 0) || !double.IsFinite(seconds))
            {
                throw new ArgumentException($"--poll {seconds}: give a positive number of seconds");
            }

            var loaded = GlobalOptions.Load(parse);
            var settings = loaded with
            {
                Site = loaded.Site with
                {
                    Directory = parse.GetValue(directory)!,
                    PollInterval = TimeSpan.FromSeconds(seconds),
                    SiteId = parse.GetValue(siteId),
                    Device = loaded.Device,
                },
            };
            var layout = new SiteLayout(settings.Site.Directory!);
            // --once's segmentations log their progress to the console, as the site's host does.
            using var logging = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
            var volumes = new SiteVolumeSegmenter(layout, settings.Site, settings.Pipeline, logging.CreateLogger<SiteVolumeSegmenter>());
            volumes.CheckInputs();
            if (parse.GetValue(once))
            {
                var followed = await FollowOnceAsync(settings, layout, cancellationToken).ConfigureAwait(false);
                var segmented = await SegmentOnceAsync(volumes, cancellationToken).ConfigureAwait(false);
                return followed != ExitCodes.Success ? followed : segmented;
            }

            await BrokerPreflight.EnsureReachableAsync(settings, cancellationToken).ConfigureAwait(false);
            var every = seconds.ToString("0.###", CultureInfo.InvariantCulture);
            var source = settings.RabbitMqUri is { } uri
                ? $"promotions and rollbacks from {uri.Host} (queue {SiteEndpoint.Name(settings.Site)}), and the registry every {every} s"
                : $"the registry every {every} s (no broker: pass --rabbitmq to hear promotions at once)";
            AnsiConsole.MarkupLine($"site [blue]{Markup.Escape(layout.Root)}[/] follows the champion of {Markup.Escape(settings.Pipeline.ModelName)} via {Markup.Escape(source)}");
            using var host = PipelineHost.Build(settings, [SiteRole.Name]);
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Segments every configured volume with the site's current model, logging progress, then prints what became of each.</summary>
    private static async Task<int> SegmentOnceAsync(SiteVolumeSegmenter volumes, CancellationToken cancellationToken)
    {
        var results = await volumes.SegmentCurrentAsync(cancellationToken).ConfigureAwait(false);
        if (results.Count == 0)
        {
            return ExitCodes.Success;
        }

        var table = new Table().AddColumn("volume").AddColumn("input").AddColumn("model").AddColumn("outcome").AddColumn("detail");
        foreach (var result in results)
        {
            var outcome = result.Outcome == VolumeOutcome.Failed ? "[red]failed[/]" : result.Outcome.ToString().ToLowerInvariant();
            table.AddRow(
                Markup.Escape(SiteSettings.VolumeKey(result.Index)), Markup.Escape(result.Volume.Input),
                "v" + result.Version.ToString(CultureInfo.InvariantCulture), outcome, Markup.Escape(result.Detail));
        }

        AnsiConsole.Write(table);
        return results.Any(r => r.Outcome == VolumeOutcome.Failed) ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static async Task<int> FollowOnceAsync(HostSettings settings, SiteLayout layout, CancellationToken cancellationToken)
    {
        var registry = ModelRegistries.Create(settings, new WorkspaceLayout(settings.Pipeline.Workspace));
        var follower = new ChampionFollower(layout, settings.Pipeline, registry, NullLogger<ChampionFollower>.Instance);
        var update = await follower.FollowChampionAsync("hd site --once", null, cancellationToken).ConfigureAwait(false);
        switch (update.Kind)
        {
            case SiteUpdateKind.Switched:
                AnsiConsole.MarkupLine($"site [blue]{Markup.Escape(layout.Root)}[/] switched to v{update.Version}{(update.PreviousVersion is { } p ? $" (was v{p})" : string.Empty)}");
                return ExitCodes.Success;
            case SiteUpdateKind.AlreadyCurrent:
                AnsiConsole.MarkupLine($"site [blue]{Markup.Escape(layout.Root)}[/] already runs the champion, v{update.Version}");
                return ExitCodes.Success;
            case SiteUpdateKind.NoChampion:
                AnsiConsole.MarkupLine($"[yellow]no champion yet[/] in the registry of {Markup.Escape(settings.Pipeline.Workspace)}; the site has {(update.Version is { } v ? $"v{v}" : "no model")}");
                return ExitCodes.Success;
            default:
                CommandRunner.Error($"{update.Detail}; the site keeps {(update.Version is { } kept ? $"v{kept}" : "no model")}");
                return ExitCodes.Failure;
        }
    }
}
