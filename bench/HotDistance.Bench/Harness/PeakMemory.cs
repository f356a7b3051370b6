using System.Globalization;

namespace HotDistance.Bench.Harness;

/// <summary>
/// The peak resident set of this process. Each benchmark runs in a fresh process, so the high-water mark is
/// that benchmark's (plus the runtime's own footprint, as Python's ru_maxrss includes the interpreter's).
/// </summary>
internal static class PeakMemory
{
    /// <summary>VmHWM from /proc/self/status in KiB; Process.PeakWorkingSet64 where /proc is absent.</summary>
    public static long PeakRssKiB()
    {
        const string statusFile = "/proc/self/status";
        if (File.Exists(statusFile))
        {
            foreach (var line in File.ReadLines(statusFile))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var number = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(number, CultureInfo.InvariantCulture);
                }
            }
        }

        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / 1024;
    }
}
