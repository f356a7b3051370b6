using System.Text.RegularExpressions;

namespace HotDistance.Core.Security;

/// <summary>
/// The one place that takes secrets out of text meant for people: the password of every URI
/// (<c>scheme://user:password@host</c>) and of every connection string (<c>Password=...;</c>, <c>Pwd=...</c>).
/// Every message, table and log line that may show a setting goes through it: <c>hd doctor</c>, <c>hd status</c>,
/// error messages and the last-resort report of an unhandled exception.
/// </summary>
public static partial class Redaction
{
    public const string Mask = "***";

    /// <summary><paramref name="text"/> with every password it holds replaced by <see cref="Mask"/>.</summary>
    public static string Text(string? text) =>
        string.IsNullOrEmpty(text)
            ? text ?? string.Empty
            : ConnectionStringPassword().Replace(UriPassword().Replace(text, $"$1{Mask}@"), $"$1{Mask}");

    /// <summary>The URI as text, without its password.</summary>
    public static string Uri(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return Text(uri.OriginalString);
    }

    // Greedy up to the token's last '@': a password with an unescaped '@' is masked whole rather than in part.
    [GeneratedRegex(@"(://[^:/@\s]*:)[^\s]*@")]
    private static partial Regex UriPassword();

    [GeneratedRegex(@"\b((?:password|pwd)\s*=\s*)[^;\s]*", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringPassword();
}
