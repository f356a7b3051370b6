using System.Globalization;

namespace HotDistance.Hosting.Configuration;

/// <summary>Durations as a person writes them in a configuration: "30s", "5m", "2h", "1d", "500ms", or "00:05:00".</summary>
public static class Durations
{
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        foreach (var (suffix, unit) in Units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(trimmed[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var count) && double.IsFinite(count))
            {
                return TimeSpan.FromTicks((long)(count * unit.Ticks));
            }
        }

        return TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var span)
            ? span
            : throw new FormatException("is not a duration; write e.g. 30s, 5m, 2h, 1d or 00:05:00");
    }

    /// <summary>A duration the way <see cref="Parse"/> reads it back, in its largest whole unit ("5m", "1500ms").</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        foreach (var (suffix, unit) in Units.OrderByDescending(u => u.Unit))
        {
            if (value.Ticks % unit.Ticks == 0)
            {
                return (value.Ticks / unit.Ticks).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }

        return value.ToString("c", CultureInfo.InvariantCulture);
    }

    // Longest suffix first, so "ms" is not read as "s".
    private static readonly (string Suffix, TimeSpan Unit)[] Units =
        [("ms", TimeSpan.FromMilliseconds(1)), ("d", TimeSpan.FromDays(1)), ("h", TimeSpan.FromHours(1)), ("m", TimeSpan.FromMinutes(1)), ("s", TimeSpan.FromSeconds(1))];
}
