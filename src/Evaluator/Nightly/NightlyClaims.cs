using System.Globalization;
using HotDistance.Core.IO;

namespace HotDistance.Evaluator.Nightly;

/// <summary>
/// One run per night across the evaluator instances sharing a workspace, whatever happens to them. A run holds
/// the night's lock file (an OS lock, which the OS drops if the process dies) and marks the night done with a
/// claim file only when it completed. So a second instance skips a night that is running or done, and a night
/// whose runner failed or was killed mid-way is run again at the next start.
/// </summary>
public sealed class NightlyClaims(string directory)
{
    public string Directory { get; } = directory;

    /// <summary>The night's done marker.</summary>
    public string PathOf(string key) => Path.Combine(Directory, $"{key}.claim");

    /// <summary>The night to run, held until disposed; null when it is done or running elsewhere.</summary>
    public NightlyClaim? TryClaim(string key, string owner, DateTimeOffset now)
    {
        System.IO.Directory.CreateDirectory(Directory);
        FileStream running;
        try
        {
            running = new FileStream(Path.Combine(Directory, $"{key}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }

        if (IsClaimed(key))
        {
            running.Dispose();
            return null;
        }

        return new NightlyClaim(PathOf(key), string.Create(CultureInfo.InvariantCulture, $"{owner} {now:O}\n"), running);
    }

    /// <summary>Whether the night has been run to completion.</summary>
    public bool IsClaimed(string key) => File.Exists(PathOf(key));
}

/// <summary>A night being run by this instance.</summary>
public sealed class NightlyClaim(string donePath, string owner, FileStream running) : IDisposable
{
    /// <summary>Marks the night done; without this, disposing hands it back for a later catch-up.</summary>
    public void Complete() => AtomicFile.Write(donePath, System.Text.Encoding.UTF8.GetBytes(owner));

    public void Dispose() => running.Dispose();
}
