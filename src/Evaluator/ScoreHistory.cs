using System.Text.Json;
using HotDistance.Contracts;
using HotDistance.Core.IO;
using HotDistance.Core.Workspace;

namespace HotDistance.Evaluator;

/// <summary>One generation's held-out overall scores, as the history records them.</summary>
public sealed record GenerationScores(
    int GenerationNumber,
    string GenerationId,
    DateTimeOffset CompletedAt,
    IReadOnlyList<HistoryScore> Scores,
    string? WinnerVariant);

/// <summary>A model's overall score in one generation's evaluation.</summary>
public sealed record HistoryScore(string Variant, string Role, double Overall);

/// <summary>
/// The score history over generations, gathered from every evaluation.json in the workspace (so it needs no
/// state of its own and survives restarts), ordered by generation number. Evaluations that cannot be read are
/// skipped: one damaged file must not stop the report.
/// </summary>
public static class ScoreHistory
{
    public const string JsonFile = "history.json";
    public const string ChartFile = "history.png";

    public static IReadOnlyList<GenerationScores> Collect(string evaluationsDirectory, EvaluationCompleted? current = null)
    {
        ArgumentNullException.ThrowIfNull(evaluationsDirectory);
        var byGeneration = new Dictionary<string, EvaluationCompleted>(StringComparer.Ordinal);
        foreach (var evaluation in ReadAll(evaluationsDirectory))
        {
            byGeneration[evaluation.GenerationId] = evaluation;
        }

        if (current is not null)
        {
            byGeneration[current.GenerationId] = current;
        }

        return byGeneration.Values
            .Where(e => e.Scores.Count > 0)
            .OrderBy(e => e.GenerationNumber)
            .ThenBy(e => e.CompletedAt)
            .Select(e => new GenerationScores(
                e.GenerationNumber,
                e.GenerationId,
                e.CompletedAt,
                e.Scores.Select(s => new HistoryScore(s.Variant, s.Role, s.Overall)).ToList(),
                e.Winner?.Variant))
            .ToList();
    }

    /// <summary>Every readable evaluation.json under <paramref name="evaluationsDirectory"/>.</summary>
    public static IEnumerable<EvaluationCompleted> ReadAll(string evaluationsDirectory)
    {
        if (!Directory.Exists(evaluationsDirectory))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(evaluationsDirectory, WorkspaceLayout.EvaluationResultFile, SearchOption.AllDirectories))
        {
            if (Read(file) is { } evaluation)
            {
                yield return evaluation;
            }
        }
    }

    /// <summary>Writes history.json and history.png into <paramref name="directory"/>; false when there is nothing to draw.</summary>
    public static bool Write(string directory, IReadOnlyList<GenerationScores> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        AtomicFile.WriteJson(Path.Combine(directory, JsonFile), history);
        if (history.Count == 0)
        {
            return false;
        }

        var png = HistoryChart.Render(history);
        AtomicFile.Write(Path.Combine(directory, ChartFile), stream => stream.Write(png));
        return true;
    }

    private static EvaluationCompleted? Read(string file)
    {
        try
        {
            return AtomicFile.ReadJson<EvaluationCompleted>(file);
        }
        catch (Exception exception) when (exception is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
