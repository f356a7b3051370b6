using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HotDistance.SiteAgent;

/// <summary>
/// The queue a site listens on. Each site has its own, bound to the same events, so every site hears every
/// promotion; two processes serving the same folder on the same machine share it, which is what they want.
/// </summary>
public static class SiteEndpoint
{
    public static string Name(SiteSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!string.IsNullOrWhiteSpace(settings.SiteId))
        {
            return "site-" + Sanitize(settings.SiteId);
        }

        var folder = Path.GetFullPath(settings.Directory ?? ".");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(folder)))[..8];
        return string.Create(CultureInfo.InvariantCulture, $"site-{Sanitize(Environment.MachineName)}-{hash}");
    }

    private static string Sanitize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        }

        return builder.ToString();
    }
}
