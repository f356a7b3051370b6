namespace HotDistance.Ingest.Formats;

/// <summary>
/// Files and folders to copy into quarantine, each with the path it gets under the quarantine folder, and a note
/// on what was left out (e.g. the raw of a large dataset, which the labels point back to).
/// </summary>
public sealed record QuarantineCopy(IReadOnlyList<(string Source, string RelativeTarget)> Items, string? LeftOut = null)
{
    public static QuarantineCopy Whole(string path) =>
        new([(path, System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(path)))]);

    public static QuarantineCopy Nothing(string why) => new([], why);
}
