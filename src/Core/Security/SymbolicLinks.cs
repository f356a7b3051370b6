namespace HotDistance.Core.Security;

/// <summary>
/// Input never leads outside itself through a link: before anything of an input is read (or copied into quarantine),
/// its tree is walked without following links and the first link found is named. Walking without following is
/// also why a link loop cannot hang it.
/// </summary>
public static class SymbolicLinks
{
    /// <summary>A link in an input: where it is and what it points at.</summary>
    public sealed record Found(string Path, string Target)
    {
        public string Reason =>
            $"{Path} is a symbolic link (to {Target}): input is read only from its own files, never through links; copy the linked data into the input instead";
    }

    /// <summary>The first link at or under <paramref name="path"/>, or null when there is none.</summary>
    public static Found? FindIn(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = System.IO.Path.GetFullPath(path);
        if (LinkOf(full) is { } root)
        {
            return root;
        }

        if (!Directory.Exists(full))
        {
            return null;
        }

        var pending = new Stack<string>([full]);
        while (pending.Count > 0)
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(pending.Pop()))
            {
                if (LinkOf(entry) is { } link)
                {
                    return link;
                }

                if (Directory.Exists(entry))
                {
                    pending.Push(entry);
                }
            }
        }

        return null;
    }

    private static Found? LinkOf(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is { } target ? new Found(path, target) : null;
    }
}
