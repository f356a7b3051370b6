using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using HotDistance.Catalog;
using HotDistance.Catalog.Status;
using HotDistance.Cli.Predict;
using HotDistance.Contracts;
using HotDistance.Core.Registry;
using HotDistance.Core.Security;
using HotDistance.Core.Workspace;
using HotDistance.Hosting;
using Spectre.Console;

namespace HotDistance.Cli.Commands;

/// <summary><c>hd status</c>: what the pipeline catalog holds, as tables or as JSON.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the status as JSON on stdout instead of tables" };
        var catalog = new Option<string?>("--catalog")
        {
            Description = $"The catalog to read: postgres://user:password@host:5432/db, Host=...;Database=..., or a SQLite file. Default: ${CatalogConnection.EnvironmentVariable}, else {CatalogConnection.DefaultFileName} in the workspace",
        };
        var command = new Command("status", CommandHelp.WithExamples("Show the pipeline catalog: crops by split and class, generations and their training jobs, the latest evaluations with the decision's intervals, the nightly re-evaluations, the promotion history, what each inference site runs and refused messages; and the distributed blockwise predictions still running (blocks done, rate, ETA).", "hd status", "hd status --json", "hd status --catalog postgres://hd:secret@db:5432/hotdistance"))
        {
            json,
            catalog,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var settings = GlobalOptions.Load(parse);
            var connection = CatalogConnection.Parse(parse.GetValue(catalog) ?? settings.Catalog, settings.Pipeline.Workspace);
            if (connection.Kind == CatalogKind.None)
            {
                throw new ArgumentException($"the catalog is switched off ({CatalogConnection.EnvironmentVariable}=none): pass --catalog or unset {CatalogConnection.EnvironmentVariable}");
            }

            var asJson = parse.GetValue(json);
            var store = connection.Open();
            CatalogStatus status;
            var exists = connection.Kind != CatalogKind.Sqlite || File.Exists(connection.Target);
            try
            {
                // Reading a SQLite catalog that is not there yet would create it; an empty answer says the same.
                status = exists ? await store.ReadStatusAsync(StatusLimits.Default, cancellationToken).ConfigureAwait(false) : CatalogStatus.Empty;
            }
            catch (Exception exception) when (exception is DbException or SocketException or TimeoutException or IOException or UnauthorizedAccessException)
            {
                var message = $"cannot read the catalog ({store.Description}): {exception.Message}. Check --catalog / {CatalogConnection.EnvironmentVariable} and that the database runs.";
                if (asJson)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync("error: " + Redaction.Text(message)).ConfigureAwait(false);
                }
                else
                {
                    CommandRunner.Error(message);
                }

                return ExitCodes.Unavailable;
            }

            var registry = await RegistryChampionAsync(settings, cancellationToken).ConfigureAwait(false);
            var blockwise = BlockwiseJobsStatus.Read(settings.Pipeline.Workspace);
            if (asJson)
            {
                var document = StatusDocument.Create(status, store.Description, exists, registry.Champion, registry.Problem);
                document["blockwise_jobs"] = BlockwiseJobsStatus.ToJson(blockwise);
                await parse.InvocationConfiguration.Output.WriteLineAsync(document.ToJsonString(StatusDocument.JsonOptions)).ConfigureAwait(false);
            }
            else
            {
                Print(status, store.Description, exists, registry);
                BlockwiseJobsStatus.Print(blockwise);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// The registry's champion alias, the authority on what sites run (<see cref="RegistryChampion"/>). A local
    /// registry that does not exist is not asked.
    /// </summary>
    private static async Task<(ModelVersion? Champion, string? Problem)> RegistryChampionAsync(HostSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Registry == "local" && !Directory.Exists(new WorkspaceLayout(settings.Pipeline.Workspace).Registry))
        {
            return (null, null);
        }

        return await RegistryChampion.AskAsync(settings, cancellationToken).ConfigureAwait(false);
    }

    private static void Print(CatalogStatus status, string description, bool exists, (ModelVersion? Champion, string? Problem) registry)
    {
        AnsiConsole.MarkupLine($"catalog: [blue]{Markup.Escape(description)}[/]{(exists ? "" : " [grey](not created yet: the roles create it with their first event)[/]")}");
        PrintCrops(status.Crops);
        PrintGenerations(status.Generations);
        PrintEvaluations(status.Evaluations);
        PrintComparisons(status.Evaluations);
        PrintNightly(status.Nightly);
        PrintPromotions(status, registry);
        PrintSites(status, registry.Champion);
        PrintSecurityEvents(status.SecurityEvents);
    }

    /// <summary>The newest evaluation's decision: each challenger's difference to the champion and its interval.</summary>
    private static void PrintComparisons(IReadOnlyList<EvaluationSummary> evaluations)
    {
        if (evaluations.Count == 0 || evaluations[0] is not { Comparisons.Count: > 0 } latest)
        {
            return;
        }

        var level = latest.ConfidenceLevel is { } confidence ? (confidence * 100).ToString("G3", CultureInfo.InvariantCulture) + "% " : string.Empty;
        var table = new Table().Title($"{Markup.Escape(latest.GenerationId)}: challengers against the champion")
            .AddColumn(new TableColumn("model").NoWrap())
            .AddColumn(new TableColumn("overall").RightAligned().NoWrap())
            .AddColumn(new TableColumn("champion").RightAligned().NoWrap())
            .AddColumn(new TableColumn("difference").RightAligned().NoWrap())
            .AddColumn(new TableColumn(level + "interval").NoWrap())
            .AddColumn(new TableColumn("clears").NoWrap());
        foreach (var comparison in latest.Comparisons)
        {
            table.AddRow(
                Markup.Escape(comparison.Variant),
                Number(comparison.Overall),
                Number(comparison.ChampionOverall),
                Signed(comparison.Difference),
                Markup.Escape($"[{Signed(comparison.IntervalLower)}, {Signed(comparison.IntervalUpper)}]"),
                comparison.ClearsMargin ? "[green]yes[/]" : "no");
        }

        AnsiConsole.Write(latest.Margin is { } margin ? table.Caption($"clears: the interval's lower bound is above the margin {Number(margin)}") : table);
    }

    /// <summary>The newest nights; <c>--json</c> has up to <see cref="StatusLimits.Nightly"/> of them.</summary>
    private static void PrintNightly(IReadOnlyList<NightlyEntry> nights)
    {
        const int Shown = 5;
        var table = new Table().Title("nightly evaluations")
            .AddColumn(new TableColumn("night").NoWrap())
            .AddColumn(new TableColumn("champion").RightAligned().NoWrap())
            .AddColumn(new TableColumn("baseline").RightAligned().NoWrap())
            .AddColumn(new TableColumn("result").NoWrap());
        foreach (var night in nights.TakeLast(Shown))
        {
            var result = (night.ChampionOverall, night.BaselineOverall) switch
            {
                (null, _) => "no champion",
                _ when night.Regression => night.RetrainingRequested ? "[red]regression[/], retraining requested" : "[red]regression[/]",
                (_, null) => "first night",
                _ => "[green]ok[/]",
            };
            table.AddRow(
                Markup.Escape(night.NightKey),
                night.ChampionOverall is { } champion ? Number(champion) : "-",
                night.BaselineOverall is { } baseline ? Number(baseline) : "-",
                result);
        }

        if (nights.Count == 0)
        {
            AnsiConsole.Write(table.Caption("none yet"));
            return;
        }

        AnsiConsole.Write(nights.Count > Shown ? table.Caption($"{nights.Count - Shown} older with --json") : table);
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(nights[^1].Summary)}[/]");
    }

    /// <summary>
    /// What each site reported it runs; a site on another version than the champion (the registry's alias, else
    /// the catalog's events) is marked: it has yet to follow, or it refused the download.
    /// </summary>
    private static void PrintSites(CatalogStatus status, ModelVersion? registryChampion)
    {
        var (championName, championVersion) = registryChampion is { } alias
            ? (alias.ModelName, (long?)alias.Version)
            : (status.Champion?.ModelName, status.Champion?.Version);
        var table = new Table().Title("inference sites")
            .AddColumn("site")
            .AddColumn(new TableColumn("model").NoWrap())
            .AddColumn(new TableColumn("sha256").NoWrap())
            .AddColumn(new TableColumn("reported").NoWrap());
        var anyBehind = false;
        foreach (var site in status.Sites)
        {
            var current = championVersion is null || (site.ModelName == championName && site.Version == championVersion);
            anyBehind |= !current;
            table.AddRow(
                Markup.Escape(site.Site),
                Markup.Escape($"{site.ModelName} v{site.Version}") + (current ? "" : " [yellow]*[/]"),
                Markup.Escape(site.Sha256.Length > 12 ? site.Sha256[..12] : site.Sha256),
                Time(site.ReportedAt));
        }

        if (status.Sites.Count == 0)
        {
            table.Caption("none has reported yet");
        }
        else if (anyBehind)
        {
            table.Caption(Markup.Escape($"* not the champion, {championName} v{championVersion}"));
        }

        AnsiConsole.Write(table);
    }

    private static void PrintSecurityEvents(SecurityEvents events)
    {
        AnsiConsole.MarkupLine(events.Total == 0 ? "security events: 0" : $"security events: [red]{Count(events.Total)}[/] refused messages");
        foreach (var refused in events.Latest)
        {
            AnsiConsole.MarkupLine($"  [grey]{Time(refused.RefusedAt)}[/] {Markup.Escape(refused.MessageType)} at {Markup.Escape(refused.Consumer)}: {Markup.Escape(refused.Reason)}");
        }
    }

    private static void PrintCrops(CropSummary crops)
    {
        var splits = crops.BySplit.Select(s => s.Split).ToList();
        var table = new Table().Title("crops").AddColumn(new TableColumn("class").NoWrap());
        foreach (var split in splits)
        {
            table.AddColumn(new TableColumn(Markup.Escape(split)).RightAligned());
        }

        table.AddColumn(new TableColumn("total").RightAligned());
        table.AddRow([new Markup("[bold]all crops[/]"), .. crops.BySplit.Select(s => new Markup(Count(s.Crops))), new Markup($"[bold]{Count(crops.Total)}[/]")]);
        foreach (var byClass in crops.ByClass.GroupBy(c => c.ClassName, StringComparer.Ordinal))
        {
            var counts = splits.Select(split => byClass.FirstOrDefault(c => c.Split == split)?.Crops ?? 0).ToList();
            table.AddRow([Markup.Escape(byClass.Key), .. counts.Select(Count), Count(counts.Sum())]);
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(crops.Rejected == 0 ? "rejected: 0" : $"rejected: [yellow]{Count(crops.Rejected)}[/]");
        foreach (var rejection in crops.LatestRejections)
        {
            AnsiConsole.MarkupLine($"  [grey]{Time(rejection.RejectedAt)}[/] {Markup.Escape(rejection.Source)}: {Markup.Escape(rejection.Reason)}");
        }
    }

    /// <summary>One row per job, so the table fits 80 columns however many variants there are.</summary>
    private static void PrintGenerations(IReadOnlyList<GenerationStatus> generations)
    {
        var table = new Table().Title("generations")
            .AddColumn(new TableColumn("generation").NoWrap())
            .AddColumn(new TableColumn("state").NoWrap())
            .AddColumn(new TableColumn("crops").RightAligned().NoWrap())
            .AddColumn(new TableColumn("variant").NoWrap())
            .AddColumn(new TableColumn("job").NoWrap())
            .AddColumn(new TableColumn("loss").RightAligned().NoWrap());
        foreach (var generation in generations)
        {
            var crops = generation.Crops is { } total ? $"{Count(total)} (+{Count(generation.NewCrops ?? 0)})" : "-";
            var first = true;
            foreach (var job in generation.Jobs.DefaultIfEmpty())
            {
                table.AddRow(
                    first ? Markup.Escape(generation.GenerationId) : "",
                    first ? Markup.Escape(generation.State) : "",
                    first ? crops : "",
                    job is null ? "" : Markup.Escape(job.Variant),
                    job is null ? "" : Markup.Escape(Job(job)),
                    job?.Loss is { } loss ? loss.ToString("F4", CultureInfo.InvariantCulture) : "");
                first = false;
            }
        }

        AnsiConsole.Write(generations.Count == 0 ? table.Caption("none yet") : table);

        // Reasons are long; under the table they wrap, and the table keeps to 80 columns.
        foreach (var generation in generations)
        {
            foreach (var job in generation.Jobs.Where(j => j.State is JobStates.Failed or JobStates.Retrying && !string.IsNullOrEmpty(j.Failure)))
            {
                var colour = job.State == JobStates.Failed ? "red" : "yellow";
                AnsiConsole.MarkupLine($"[{colour}]{Markup.Escape($"{generation.GenerationId}/{job.Variant}")} {job.State}[/]: {Markup.Escape(job.Failure!)}");
            }

            if (generation.Stall is { } stall)
            {
                AnsiConsole.MarkupLine(
                    $"[yellow]{Markup.Escape(generation.GenerationId)} waiting[/]: its {Markup.Escape(stall.Stage)} gave up at {Time(stall.StalledAt)} ({Markup.Escape(stall.Reason)}); the evaluator's sweep takes it up again");
            }
        }
    }

    /// <summary>Per-class columns are added while they fit the terminal; <c>--json</c> always has them all.</summary>
    private static void PrintEvaluations(IReadOnlyList<EvaluationSummary> evaluations)
    {
        const int BaseWidth = 58;
        const int ClassWidth = 8;
        var classes = evaluations.SelectMany(e => e.Scores).SelectMany(s => s.PerClass.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var shown = classes.Take(Math.Max(0, (AnsiConsole.Profile.Width - BaseWidth) / ClassWidth)).ToList();
        var table = new Table().Title("latest evaluations")
            .AddColumn(new TableColumn("generation").NoWrap())
            .AddColumn(new TableColumn("model").NoWrap())
            .AddColumn(new TableColumn("role").NoWrap())
            .AddColumn(new TableColumn("overall").RightAligned().NoWrap());
        foreach (var className in shown)
        {
            table.AddColumn(new TableColumn(Markup.Escape(className)).RightAligned().NoWrap());
        }

        foreach (var evaluation in evaluations)
        {
            foreach (var score in evaluation.Scores)
            {
                var won = score.Role != ModelRoles.Champion && score.Variant == evaluation.Winner;
                var perClass = shown.Select(c => score.PerClass.TryGetValue(c, out var value) ? Number(value) : "-");
                table.AddRow([Markup.Escape(evaluation.GenerationId), Markup.Escape(score.Variant) + (won ? " [green]*[/]" : ""), Markup.Escape(score.Role), Number(score.Overall), .. perClass]);
            }
        }

        if (evaluations.Count == 0)
        {
            table.Caption("none yet");
        }
        else if (shown.Count < classes.Count)
        {
            table.Caption($"* winner; {classes.Count - shown.Count} more classes with --json or a wider terminal");
        }
        else
        {
            table.Caption("* winner");
        }

        AnsiConsole.Write(table);
        foreach (var evaluation in evaluations)
        {
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(evaluation.GenerationId)}: {Markup.Escape(evaluation.Reason)} ({Count(evaluation.HeldOutCrops)} held-out crops)[/]");
        }
    }

    private static void PrintPromotions(CatalogStatus status, (ModelVersion? Champion, string? Problem) registry)
    {
        var table = new Table().Title("promotions")
            .AddColumn(new TableColumn("decided").NoWrap())
            .AddColumn(new TableColumn("generation").NoWrap())
            .AddColumn(new TableColumn("outcome").NoWrap())
            .AddColumn("model or reason");
        var rows = status.Promotions.Select(p => (At: p.DecidedAt, Row: PromotionRow(p)))
            .Concat(status.Rollbacks.Select(r => (At: r.RolledBackAt, Row: new[]
            {
                Time(r.RolledBackAt), string.Empty, "[blue]rolled back[/]", Markup.Escape($"v{r.FromVersion} -> v{r.Version}: {r.Reason}"),
            })))
            .OrderBy(r => r.At);
        foreach (var (_, row) in rows)
        {
            table.AddRow(row);
        }

        AnsiConsole.Write(status.Promotions.Count + status.Rollbacks.Count == 0 ? table.Caption("none yet") : table);
        var catalogChampion = status.Champion;
        if (registry.Champion is { } alias)
        {
            var promotion = status.Promotions.LastOrDefault(p => p.Outcome == PromotionOutcomes.Promoted && p.Version == alias.Version);
            AnsiConsole.MarkupLine($"champion: [bold]{Markup.Escape($"{alias.ModelName} v{alias.Version}")}[/]{Detail(promotion)}, the registry's champion alias");
            if (catalogChampion is not null && catalogChampion.Version != alias.Version)
            {
                AnsiConsole.MarkupLine($"[yellow]the catalog's events say v{Version(catalogChampion)}[/]: events still on their way, or lost; the registry is the authority");
            }

            return;
        }

        if (registry.Problem is { } problem)
        {
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(StatusDocument.RegistryProblem(problem))}[/]");
        }

        AnsiConsole.MarkupLine(catalogChampion is { } champion
            ? $"champion: [bold]{Markup.Escape($"{champion.ModelName} v{Version(champion)}")}[/]{Detail(champion)}, from the catalog's events"
            : "champion: none yet");
    }

    private static string[] PromotionRow(PromotionEntry promotion)
    {
        var promoted = promotion.Outcome == PromotionOutcomes.Promoted;
        return
        [
            Time(promotion.DecidedAt),
            Markup.Escape(promotion.GenerationId),
            promoted ? "[green]promoted[/]" : "[yellow]declined[/]",
            Markup.Escape(promoted ? $"v{Version(promotion)} {promotion.Variant} ({Number(promotion.Overall ?? 0)})" : promotion.Reason ?? ""),
        ];
    }

    /// <summary>The variant, generation and score of a champion version when the catalog knows its promotion.</summary>
    private static string Detail(PromotionEntry? promotion) =>
        promotion is { Variant: { } variant }
            ? Markup.Escape($" ({variant}, {promotion.GenerationId}, overall {Number(promotion.Overall ?? 0)})")
            : string.Empty;

    private static string Version(PromotionEntry promotion) => promotion.Version?.ToString(CultureInfo.InvariantCulture) ?? "?";

    private static string Job(JobStatus job) => job.State switch
    {
        JobStates.Queued => "queued",
        JobStates.Failed => $"failed at {Count(job.Step)}",
        _ => $"{job.State} {Count(job.Step)}/{(job.TotalSteps is { } total ? Count(total) : "?")}",
    };

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

    private static string Signed(double value) => value.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
