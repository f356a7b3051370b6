using System.Security.Cryptography;

namespace HotDistance.Learning.Runtime;

/// <summary>
/// Keeps weak-version patched copies of native libraries under a cache folder keyed by the SHA-256 of the
/// original, so a package update never reuses a stale copy. Copies are written atomically (temp file + rename)
/// because several processes (trainer, evaluator, tests) may start at once.
/// </summary>
internal static class PatchedLibraryCache
{
    /// <summary>
    /// Returns the original when it does not strongly require <paramref name="version"/>; otherwise a cached copy
    /// in which that requirement is weak.
    /// </summary>
    public static PatchedLibrary GetOrCreate(string originalPath, string version, string? cacheRoot = null)
    {
        var original = File.ReadAllBytes(originalPath);
        var patched = (byte[])original.Clone();
        WeakVersionOutcome outcome;
        try
        {
            outcome = ElfVersionNeeds.MarkWeak(patched, version);
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidDataException($"{originalPath}: {exception.Message}", exception);
        }

        if (outcome != WeakVersionOutcome.Weakened)
        {
            return new PatchedLibrary(originalPath, Patched: false);
        }

        var key = Convert.ToHexStringLower(SHA256.HashData(original));
        var fileName = Path.GetFileName(originalPath);
        var roots = cacheRoot is null ? DefaultRoots() : [cacheRoot];
        var failures = new List<Exception>();
        foreach (var root in roots)
        {
            try
            {
                return new PatchedLibrary(WriteIfDifferent(Path.Combine(root, key), fileName, patched), Patched: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                failures.Add(exception);
            }
        }

        throw new TorchUnavailableException(
            $"Could not write the patched copy of {originalPath} to any cache folder ({string.Join(", ", roots)}). " +
            "Set XDG_CACHE_HOME to a writable folder.",
            new AggregateException(failures));
    }

    /// <summary>$XDG_CACHE_HOME/hotdistance/torchsharp, else ~/.cache/hotdistance/torchsharp; the temp folder as a last resort.</summary>
    private static List<string> DefaultRoots()
    {
        var roots = new List<string>();
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg))
        {
            roots.Add(Path.Combine(xdg, "hotdistance", "torchsharp"));
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home))
        {
            roots.Add(Path.Combine(home, ".cache", "hotdistance", "torchsharp"));
        }

        roots.Add(Path.Combine(Path.GetTempPath(), $"hotdistance-torchsharp-{Environment.UserName}"));
        return roots;
    }

    private static string WriteIfDifferent(string directory, string fileName, byte[] content)
    {
        var target = Path.Combine(directory, fileName);

        // Compare rather than trust existence: a copy cut short by a crash or edited by hand must not be loaded.
        if (File.Exists(target) && new FileInfo(target).Length == content.Length && File.ReadAllBytes(target).AsSpan().SequenceEqual(content))
        {
            return target;
        }

        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{fileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        return target;
    }
}
