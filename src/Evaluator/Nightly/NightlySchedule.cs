using System.Globalization;
using Quartz;

namespace HotDistance.Evaluator.Nightly;

/// <summary>The cron schedule of the nightly run: its time zone, the key of each firing, and missed firings.</summary>
public sealed class NightlySchedule
{
    // A per-second schedule left unattended for a long downtime must not walk millions of firings.
    private const int MaxWalk = 1_000_000;

    private readonly CronExpression expression;

    public NightlySchedule(string cron, string? timeZone)
    {
        TimeZone = Zone(timeZone);
        if (!CronExpression.TryParse(cron, out var parsed) || parsed is null)
        {
            throw new ArgumentException($"nightly cron '{cron}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. \"0 0 2 * * ?\" for 02:00 daily)", nameof(cron));
        }

        Cron = cron;
        expression = parsed.WithTimeZone(TimeZone);
    }

    public string Cron { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>
    /// The key of the firing scheduled for <paramref name="scheduledUtc"/>: its local time to the second, so every
    /// instance on the same schedule derives the same key for the same firing (and a daily schedule one per night).
    /// </summary>
    public string Key(DateTimeOffset scheduledUtc)
    {
        var local = TimeZoneInfo.ConvertTime(scheduledUtc, TimeZone);
        return local.ToString("yyyy-MM-dd'T'HHmmss", CultureInfo.InvariantCulture);
    }

    /// <summary>The latest firing strictly after <paramref name="afterUtc"/> and at or before <paramref name="nowUtc"/>; null when none fell in between.</summary>
    public DateTimeOffset? LastFireBetween(DateTimeOffset afterUtc, DateTimeOffset nowUtc)
    {
        if (nowUtc <= afterUtc)
        {
            return null;
        }

        DateTimeOffset? last = null;
        var cursor = afterUtc;
        for (var i = 0; i < MaxWalk; i++)
        {
            var next = expression.GetNextValidTimeAfter(cursor);
            if (next is not { } fire || fire > nowUtc)
            {
                return last;
            }

            last = fire;
            cursor = fire;
        }

        // Too many firings to walk: the ones before a day ago cannot be the latest anyway.
        return LastFireBetween(Later(afterUtc, nowUtc.AddDays(-1)), nowUtc) ?? last;
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static TimeZoneInfo Zone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return TimeZoneInfo.Local;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException exception)
        {
            throw new ArgumentException($"nightly time zone '{id}' is not known on this machine; use an IANA id such as Europe/Berlin, or leave it empty for local time", nameof(id), exception);
        }
    }
}
