using System.Security.Cryptography;
using System.Text;
using HotDistance.Core.IO;

namespace HotDistance.SiteAgent.Blockwise;

/// <summary>
/// The distributed blockwise jobs started from a workspace, for <c>hd status</c>: one small file per output folder under
/// <c>predictions/</c> in the workspace, naming the folder and when its latest dispatch started. The job's standing
/// itself is read from the output's done records, never copied here.
/// </summary>
public static class BlockwiseJobIndex
{
    public const string Folder = "predictions";

    /// <summary>One entry: the output folder (absolute) and when the latest <c>hd predict --distribute</c> on it started.</summary>
    public sealed record Entry(string Output, DateTimeOffset DispatchedAt);

    public static void Record(string workspace, string output, DateTimeOffset dispatchedAt)
    {
        ArgumentNullException.ThrowIfNull(output);
        var full = Path.GetFullPath(output);
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..16] + ".json";
        AtomicFile.WriteJson(Path.Combine(workspace, Folder, name), new Entry(full, dispatchedAt));
    }

    /// <summary>Every entry, newest dispatch first; an unreadable entry is left out.</summary>
    public static IReadOnlyList<Entry> Read(string workspace)
    {
        var folder = Path.Combine(workspace, Folder);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var entries = new List<Entry>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json"))
        {
            try
            {
                if (AtomicFile.ReadJson<Entry>(file) is { Output: not null } entry)
                {
                    entries.Add(entry);
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // Shown nowhere: a half-written entry is not possible (atomic), a hand-edited one names no job.
            }
        }

        return [.. entries.OrderByDescending(e => e.DispatchedAt)];
    }
}
