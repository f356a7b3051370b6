using System.Runtime.InteropServices;

namespace HotDistance.Core.Zarr;

/// <summary>Finds a system codec library by soname and the exports it must have.</summary>
internal static class NativeCodecLibrary
{
    /// <summary>
    /// Loads the first of <paramref name="candidates"/> that exists and exports every one of
    /// <paramref name="symbols"/>; returns their addresses in order, or null with the reason.
    /// </summary>
    public static nint[]? TryLoad(string[] candidates, string[] symbols, out string loadedName, out string reason)
    {
        loadedName = string.Empty;
        reason = $"{candidates[0]} not found";
        foreach (string name in candidates)
        {
            if (!NativeLibrary.TryLoad(name, out nint handle))
            {
                continue;
            }

            var addresses = new nint[symbols.Length];
            for (int i = 0; i < symbols.Length; i++)
            {
                if (!NativeLibrary.TryGetExport(handle, symbols[i], out addresses[i]))
                {
                    // The library stays loaded: other code in the process may use it, and unloading buys nothing.
                    reason = $"{name} lacks {symbols[i]}";
                    addresses = null;
                    break;
                }
            }

            if (addresses is not null)
            {
                loadedName = name;
                return addresses;
            }
        }

        return null;
    }

    /// <summary>The sonames to try on this OS, most specific first.</summary>
    public static string[] Candidates(string baseName, string linuxSoname) =>
        OperatingSystem.IsLinux() ? [linuxSoname, $"lib{baseName}.so"]
        : OperatingSystem.IsMacOS() ? [$"lib{baseName}.1.dylib", $"lib{baseName}.dylib"]
        : [$"lib{baseName}.dll", $"{baseName}.dll"];

    /// <summary>A version number in the major*10000 + minor*100 + release form both zstd and lz4 use.</summary>
    public static string FormatVersion(uint number) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{number / 10000}.{number / 100 % 100}.{number % 100}");
}
