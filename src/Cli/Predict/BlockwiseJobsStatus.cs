using System.Globalization;
using System.Text.Json.Nodes;
using HotDistance.Core.Blockwise;
using HotDistance.SiteAgent;
using HotDistance.SiteAgent.Blockwise;
using Spectre.Console;

namespace HotDistance.Cli.Predict;

/// <summary>
/// The distributed blockwise jobs of a workspace that are not complete, for <c>hd status</c>: blocks done of the total,
/// the rate over the last minutes (from the done records' times, whichever predictors wrote them), the time left at
/// that rate, and the blocks that failed.
/// </summary>
public static class BlockwiseJobsStatus
{
    /// <summary>The rate is measured over the blocks recorded in this window (or since the dispatch, when later).</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(5);

    public sealed record Row(string Output, int Done, int Total, int Failed, double VoxelsPerSecond, TimeSpan? Eta);

    public static IReadOnlyList<Row> Read(string workspace)
    {
        var now = DateTime.UtcNow;
        var rows = new List<Row>();
        foreach (var entry in BlockwiseJobIndex.Read(workspace))
        {
            if (SegmentationZarrWriter.OpenExisting(entry.Output) is not { } output || output.IsComplete())
            {
                continue;
            }

            BlockPlan plan;
            try
            {
                plan = output.ReadJob().Plan();
            }
            catch (Exception exception) when (exception is System.Text.Json.JsonException or InvalidDataException or ArgumentException or IOException)
            {
                // A job being replaced (--force) or damaged: hd predict on it says what is wrong; the status leaves it out.
                continue;
            }

            var since = entry.DispatchedAt.UtcDateTime > now - RateWindow ? entry.DispatchedAt.UtcDateTime : now - RateWindow;
            var standing = BlockwiseStanding.Of(output, plan, since, now);
            var failed = output.ReadStandingFailures().Count;
            rows.Add(new Row(output.Root, standing.Done, standing.Total, failed, standing.VoxelsPerSecond, standing.Eta));
        }

        return rows;
    }

    public static void Print(IReadOnlyList<Row> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var table = new Table().Title("blockwise predictions running (hd predict --distribute)")
            .AddColumn("output")
            .AddColumn(new TableColumn("blocks").RightAligned().NoWrap())
            .AddColumn(new TableColumn("rate").RightAligned().NoWrap())
            .AddColumn(new TableColumn("ETA").RightAligned().NoWrap())
            .AddColumn(new TableColumn("failed").RightAligned().NoWrap());
        foreach (var row in rows)
        {
            table.AddRow(
                Markup.Escape(row.Output),
                string.Create(CultureInfo.InvariantCulture, $"{row.Done}/{row.Total}"),
                string.Create(CultureInfo.InvariantCulture, $"{row.VoxelsPerSecond / 1e6:F2} Mvoxels/s"),
                row.Eta is { } eta ? ProgressText.Clock(eta) : "-",
                row.Failed == 0 ? "0" : $"[red]{row.Failed}[/]");
        }

        AnsiConsole.Write(table.Caption(Markup.Escape($"rate: the blocks done in the last {RateWindow.TotalMinutes:0} minutes, by any predictor")));
    }

    public static JsonArray ToJson(IReadOnlyList<Row> rows) =>
        [.. rows.Select(r => (JsonNode)new JsonObject
        {
            ["output"] = r.Output,
            ["blocks_done"] = r.Done,
            ["blocks"] = r.Total,
            ["blocks_failed"] = r.Failed,
            ["voxels_per_second"] = r.VoxelsPerSecond,
            ["eta_seconds"] = r.Eta?.TotalSeconds,
        })];
}
