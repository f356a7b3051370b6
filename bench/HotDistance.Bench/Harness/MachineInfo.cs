using System.Globalization;
using System.Runtime.InteropServices;

namespace HotDistance.Bench.Harness;

/// <summary>Where a run happened: timings from a busy 2-core box only mean something next to this.</summary>
internal sealed record MachineInfo(
    string DateUtc,
    int Cores,
    string CpuModel,
    long MemoryKiB,
    string Os,
    string DotNet,
    string LoadAverageAtStart)
{
    public static MachineInfo Capture() => new(
        DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        Environment.ProcessorCount,
        ProcField("/proc/cpuinfo", "model name") ?? "unknown",
        long.TryParse(ProcField("/proc/meminfo", "MemTotal")?.Split(' ')[0], CultureInfo.InvariantCulture, out var kib) ? kib : 0,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        LoadAverage());

    /// <summary>The 1, 5 and 15 minute load averages, e.g. "1.52 2.03 2.40"; "unknown" off Linux.</summary>
    public static string LoadAverage()
    {
        const string file = "/proc/loadavg";
        return File.Exists(file) ? string.Join(' ', File.ReadAllText(file).Split(' ').Take(3)) : "unknown";
    }

    private static string? ProcField(string file, string name)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        return File.ReadLines(file)
            .Where(line => line.StartsWith(name, StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
            .FirstOrDefault();
    }
}
