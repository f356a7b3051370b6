using HotDistance.Core.Security;
using Npgsql;

namespace HotDistance.Catalog;

/// <summary>
/// Where the catalog lives, from <c>HD_CATALOG</c> or <c>--catalog</c>: unset means a SQLite file in the workspace;
/// <c>postgres://user:password@host:port/database</c> or an Npgsql connection string (<c>Host=...;Database=...</c>)
/// means PostgreSQL; <c>sqlite:&lt;path&gt;</c> or a plain path means that SQLite file; <c>none</c> records nothing.
/// </summary>
public sealed record CatalogConnection(CatalogKind Kind, string Target)
{
    public const string EnvironmentVariable = "HD_CATALOG";

    /// <summary>The SQLite file's name in the workspace.</summary>
    public const string DefaultFileName = "catalog.db";

    public static CatalogConnection Parse(string? value, string workspaceRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceRoot);
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return new CatalogConnection(CatalogKind.Sqlite, Path.GetFullPath(Path.Combine(workspaceRoot, DefaultFileName)));
        }

        if (text.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return new CatalogConnection(CatalogKind.None, "");
        }

        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new CatalogConnection(CatalogKind.Postgres, FromUri(text));
        }

        if (text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = text["sqlite:".Length..];
            return string.IsNullOrWhiteSpace(path)
                ? throw new ArgumentException($"{EnvironmentVariable}='{value}' names no file: write sqlite:/path/to/catalog.db")
                : new CatalogConnection(CatalogKind.Sqlite, Path.GetFullPath(path));
        }

        if (text.Contains('=', StringComparison.Ordinal))
        {
            NpgsqlConnectionStringBuilder builder;
            try
            {
                builder = new NpgsqlConnectionStringBuilder(text);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw new ArgumentException(
                    $"{EnvironmentVariable}: not a PostgreSQL connection string ({e.Message}); expected postgres://user:password@host:5432/database or Host=...;Database=...", e);
            }

            return string.IsNullOrEmpty(builder.Host)
                ? throw new ArgumentException($"{EnvironmentVariable}: the connection string names no Host (expected e.g. Host=db;Username=hd;Password=...;Database=hd)")
                : new CatalogConnection(CatalogKind.Postgres, builder.ConnectionString);
        }

        return new CatalogConnection(CatalogKind.Sqlite, Path.GetFullPath(text));
    }

    /// <summary>Opens the catalog this names (nothing is contacted until the first use).</summary>
    public IPipelineCatalog Open() => Kind switch
    {
        CatalogKind.Sqlite => new SqliteCatalog(Target),
        CatalogKind.Postgres => new PostgresCatalog(Target),
        _ => throw new InvalidOperationException($"the catalog is switched off ({EnvironmentVariable}=none)"),
    };

    private static string FromUri(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"{EnvironmentVariable}: '{Redaction.Text(text)}' is not a URI like postgres://user:password@host:5432/database");
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, setting) = pair.Split('=', 2) is [var k, var v] ? (Uri.UnescapeDataString(k), Uri.UnescapeDataString(v)) : (pair, "");
            switch (key.ToLowerInvariant())
            {
                case "sslmode":
                    builder.SslMode = setting.ToLowerInvariant() switch
                    {
                        "disable" => SslMode.Disable,
                        "allow" => SslMode.Allow,
                        "prefer" => SslMode.Prefer,
                        "require" => SslMode.Require,
                        "verify-ca" => SslMode.VerifyCA,
                        "verify-full" => SslMode.VerifyFull,
                        _ => throw new ArgumentException($"{EnvironmentVariable}: sslmode={setting} is not one of disable, allow, prefer, require, verify-ca, verify-full"),
                    };
                    break;
                default:
                    throw new ArgumentException($"{EnvironmentVariable}: the URI option '{key}' is not understood (only sslmode is); use a Host=... connection string for others");
            }
        }

        return builder.ConnectionString;
    }
}
