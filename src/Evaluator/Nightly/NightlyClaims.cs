using System.Globalization;

namespace HotDistance.Evaluator.Nightly;

/// <summary>
/// One claim file per firing key in the shared workspace, created with <see cref="FileMode.CreateNew"/>: the
/// file system lets exactly one creator win, so of several evaluator instances on the same schedule only one
/// runs a given night. A run that fails gives its claim back so the next start can catch it up.
/// </summary>
public sealed class NightlyClaims(string directory)
{
    public string Directory { get; } = directory;

    public string PathOf(string key) => Path.Combine(Directory, $"{key}.claim");

    public bool TryClaim(string key, string owner, DateTimeOffset now)
    {
        System.IO.Directory.CreateDirectory(Directory);
        try
        {
            using var stream = new FileStream(PathOf(key), FileMode.CreateNew, FileAccess.Write, FileShare.None);
            using var writer = new StreamWriter(stream);
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{owner} {now:O}\n"));
            return true;
        }
        catch (IOException) when (File.Exists(PathOf(key)))
        {
            return false;
        }
    }

    public void Release(string key) => File.Delete(PathOf(key));

    public bool IsClaimed(string key) => File.Exists(PathOf(key));
}
