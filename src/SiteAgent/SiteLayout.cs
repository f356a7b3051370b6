using System.Globalization;
using HotDistance.Core.IO;

namespace HotDistance.SiteAgent;

/// <summary>
/// An inference site's folder: <c>models/v&lt;N&gt;/</c> holds each downloaded, verified version and
/// <c>current.json</c> (a <see cref="SitePointer"/>) names the one in use. The current and the previous version
/// are kept; older ones are removed when the site switches.
/// </summary>
public sealed class SiteLayout
{
    public const string PointerFile = "current.json";

    public SiteLayout(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string Models => Path.Combine(Root, "models");

    public string CurrentFile => Path.Combine(Root, PointerFile);

    public string ModelDirectory(int version) => Path.Combine(Models, "v" + version.ToString(CultureInfo.InvariantCulture));

    /// <summary>The current model, or null when the site has none yet.</summary>
    public SitePointer? ReadCurrent() => File.Exists(CurrentFile) ? AtomicFile.ReadJson<SitePointer>(CurrentFile) : null;

    /// <summary>Switches the site to <paramref name="current"/> in one rename.</summary>
    public void WriteCurrent(SitePointer current) => AtomicFile.WriteJson(CurrentFile, current);

    /// <summary>The versions present under models/ (complete ones only; staging folders start with '.').</summary>
    public IReadOnlyList<int> ListVersions()
    {
        if (!Directory.Exists(Models))
        {
            return [];
        }

        var versions = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories(Models))
        {
            var name = Path.GetFileName(directory);
            if (name.Length > 1 && name[0] == 'v'
                && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                versions.Add(version);
            }
        }

        versions.Sort();
        return versions;
    }
}
