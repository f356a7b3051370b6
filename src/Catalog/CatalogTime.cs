using System.Globalization;

namespace HotDistance.Catalog;

/// <summary>
/// Timestamps are stored as fixed-width UTC ISO 8601 text in both databases: one set of SQL, and text order is
/// time order, so <c>ORDER BY</c> works without a dialect-specific timestamp type.
/// </summary>
internal static class CatalogTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Write(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset Read(string text) =>
        DateTimeOffset.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DateTimeOffset? ReadOptional(string? text) => text is null ? null : Read(text);
}
