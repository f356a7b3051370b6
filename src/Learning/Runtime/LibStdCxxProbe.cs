using System.Runtime.InteropServices;

namespace HotDistance.Learning.Runtime;

/// <summary>
/// Finds the libstdc++.so.6 this process uses (the one the dynamic loader would hand to libtorch) and
/// reads the symbol versions it defines.
/// </summary>
internal static class LibStdCxxProbe
{
    private const string SoName = "libstdc++.so.6";

    private static readonly string[] LibraryDirectories =
        ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"];

    public static LibStdCxxStatus Check(string version)
    {
        var path = LoadedPath() ?? LibraryDirectories.Select(directory => Path.Combine(directory, SoName)).FirstOrDefault(File.Exists);
        if (path is null)
        {
            return new LibStdCxxStatus(null, false);
        }

        try
        {
            return new LibStdCxxStatus(path, ElfVersionDefinitions.Read(File.ReadAllBytes(path)).Contains(version));
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            // Unreadable: treat the version as missing; the weak-version patch is harmless either way.
            return new LibStdCxxStatus(path, false);
        }
    }

    /// <summary>
    /// Loads libstdc++ by soname, exactly as libtorch's dependency would be resolved (LD_LIBRARY_PATH, ld.so.cache),
    /// then reads which file that was from /proc/self/maps.
    /// </summary>
    private static string? LoadedPath()
    {
        if (!NativeLibrary.TryLoad(SoName, out _) || !File.Exists("/proc/self/maps"))
        {
            return null;
        }

        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0 && Path.GetFileName(line.AsSpan(slash)).StartsWith(SoName, StringComparison.Ordinal))
            {
                return line[slash..];
            }
        }

        return null;
    }
}
