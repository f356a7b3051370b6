using System.Globalization;

namespace HotDistance.Bench.Harness;

/// <summary>
/// The peak resident set of this process, or of a process the bench started. Each benchmark runs in a fresh process,
/// so the high-water mark is that benchmark's (plus the runtime's own footprint, as Python's ru_maxrss includes the
/// interpreter's).
/// </summary>
internal static class PeakMemory
{
    /// <summary>VmHWM from /proc/self/status in KiB; Process.PeakWorkingSet64 where /proc is absent.</summary>
    public static long PeakRssKiB()
    {
        if (HighWaterMarkKiB("/proc/self/status") is { } kib)
        {
            return kib;
        }

        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / 1024;
    }

    /// <summary>Another process's VmHWM in KiB, or 0 once it is gone (or where /proc is absent).</summary>
    public static long PeakRssKiB(int processId)
    {
        try
        {
            return HighWaterMarkKiB($"/proc/{processId}/status") ?? 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static long? HighWaterMarkKiB(string statusFile)
    {
        if (!File.Exists(statusFile))
        {
            return null;
        }

        var line = File.ReadLines(statusFile).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
