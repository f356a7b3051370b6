using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using HotDistance.Catalog;
using HotDistance.Catalog.Status;
using HotDistance.Contracts;
using Spectre.Console;

namespace HotDistance.Cli.Commands;

/// <summary><c>hd status</c>: what the pipeline catalog holds, as tables or as JSON.</summary>
public static class StatusCommand
{
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the status as JSON on stdout instead of tables" };
        var catalog = new Option<string?>("--catalog")
        {
            Description = $"The catalog to read: postgres://user:password@host:5432/db, Host=...;Database=..., or a SQLite file. Default: ${CatalogConnection.EnvironmentVariable}, else {CatalogConnection.DefaultFileName} in the workspace",
        };
        var command = new Command("status", "Show the pipeline catalog: crops by split and class, generations and their training jobs, the latest evaluations and the promotion history.")
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
                    await parse.InvocationConfiguration.Error.WriteLineAsync("error: " + message).ConfigureAwait(false);
                }
                else
                {
                    CommandRunner.Error(message);
                }

                return ExitCodes.Unavailable;
            }

            if (asJson)
            {
                var document = new JsonObject { ["catalog"] = store.Description, ["exists"] = exists };
                foreach (var (key, value) in JsonSerializer.SerializeToNode(status, JsonOptions)!.AsObject().ToList())
                {
                    document[key] = value?.DeepClone();
                }

                await parse.InvocationConfiguration.Output.WriteLineAsync(document.ToJsonString(JsonOptions)).ConfigureAwait(false);
            }
            else
            {
                Print(status, store.Description, exists);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static void Print(CatalogStatus status, string description, bool exists)
    {
        AnsiConsole.MarkupLine($"catalog: [blue]{Markup.Escape(description)}[/]{(exists ? "" : " [grey](not created yet: the roles create it with their first event)[/]")}");
        PrintCrops(status.Crops);
        PrintGenerations(status.Generations);
        PrintEvaluations(status.Evaluations);
        PrintPromotions(status);
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

    private static void PrintGenerations(IReadOnlyList<GenerationStatus> generations)
    {
        var variants = Variants.All.Concat(generations.SelectMany(g => g.Jobs.Select(j => j.Variant))).Distinct(StringComparer.Ordinal).ToList();
        var table = new Table().Title("generations")
            .AddColumn(new TableColumn("generation").NoWrap())
            .AddColumn(new TableColumn("state").NoWrap())
            .AddColumn(new TableColumn("crops (new)").RightAligned());
        foreach (var variant in variants)
        {
            table.AddColumn(new TableColumn(Markup.Escape(variant)).NoWrap());
        }

        foreach (var generation in generations)
        {
            var jobs = variants.Select(v => generation.Jobs.FirstOrDefault(j => j.Variant == v) is { } job ? Markup.Escape(Job(job)) : "[grey]-[/]");
            var crops = generation.Crops is { } total ? $"{Count(total)} ({Count(generation.NewCrops ?? 0)})" : "-";
            table.AddRow([Markup.Escape(generation.GenerationId), Markup.Escape(generation.State), crops, .. jobs]);
        }

        AnsiConsole.Write(generations.Count == 0 ? table.Caption("none yet") : table);
    }

    private static void PrintEvaluations(IReadOnlyList<EvaluationSummary> evaluations)
    {
        var table = new Table().Title("latest evaluations")
            .AddColumn(new TableColumn("generation").NoWrap())
            .AddColumn(new TableColumn("model").NoWrap())
            .AddColumn(new TableColumn("overall").RightAligned())
            .AddColumn("per class");
        foreach (var evaluation in evaluations)
        {
            foreach (var score in evaluation.Scores)
            {
                var won = score.Role != "champion" && score.Variant == evaluation.Winner;
                var model = $"{Markup.Escape(score.Variant)} [grey]({Markup.Escape(score.Role)})[/]{(won ? " [green]winner[/]" : "")}";
                var perClass = string.Join(" ", score.PerClass.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {Number(p.Value)}"));
                table.AddRow(Markup.Escape(evaluation.GenerationId), model, Number(score.Overall), Markup.Escape(perClass));
            }

            table.AddRow("", $"[grey]{Markup.Escape(evaluation.Reason)}[/]", "", $"[grey]{Count(evaluation.HeldOutCrops)} held-out crops[/]");
        }

        AnsiConsole.Write(evaluations.Count == 0 ? table.Caption("none yet") : table);
    }

    private static void PrintPromotions(CatalogStatus status)
    {
        var table = new Table().Title("promotions")
            .AddColumn(new TableColumn("decided").NoWrap())
            .AddColumn(new TableColumn("generation").NoWrap())
            .AddColumn(new TableColumn("outcome").NoWrap())
            .AddColumn(new TableColumn("model").NoWrap())
            .AddColumn(new TableColumn("overall").RightAligned())
            .AddColumn("reason");
        foreach (var promotion in status.Promotions)
        {
            var promoted = promotion.Outcome == PromotionOutcomes.Promoted;
            table.AddRow(
                Time(promotion.DecidedAt),
                Markup.Escape(promotion.GenerationId),
                promoted ? "[green]promoted[/]" : "[yellow]declined[/]",
                promoted ? Markup.Escape($"{promotion.ModelName} v{promotion.Version?.ToString(CultureInfo.InvariantCulture)} ({promotion.Variant})") : "",
                promotion.Overall is { } overall ? Number(overall) : "",
                Markup.Escape(promotion.Reason ?? ""));
        }

        AnsiConsole.Write(status.Promotions.Count == 0 ? table.Caption("none yet") : table);
        AnsiConsole.MarkupLine(status.Champion is { } champion
            ? $"champion: [bold]{Markup.Escape($"{champion.ModelName} v{champion.Version?.ToString(CultureInfo.InvariantCulture)}")}[/] ({Markup.Escape(champion.Variant ?? "")}, {Markup.Escape(champion.GenerationId)}, overall {Number(champion.Overall ?? 0)})"
            : "champion: none yet");
    }

    private static string Job(JobStatus job) => job.State switch
    {
        JobStates.Queued => "queued",
        _ => $"{job.State} {Count(job.Step)}/{(job.TotalSteps is { } total ? Count(total) : "?")}{(job.Loss is { } loss ? " loss " + loss.ToString("F4", CultureInfo.InvariantCulture) : "")}",
    };

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
