using System.Globalization;

namespace HotDistance.Cli;

/// <summary>How the verbs' progress bars write a remaining time: hours:minutes:seconds, hours unbounded.</summary>
internal static class ProgressText
{
    public static string Clock(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours}:{time:mm\\:ss}");
}
