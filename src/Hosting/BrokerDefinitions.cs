using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HotDistance.SiteAgent;
using HotDistance.SiteAgent.Predictor;

namespace HotDistance.Hosting;

/// <summary>
/// A RabbitMQ definitions file (the format <c>load_definitions</c> and <c>rabbitmqctl import_definitions</c> read)
/// for one pipeline: its own vhost, an administrator, and one user per role with the least permissions that role
/// needs (<see cref="BrokerPermissions"/>). Passwords are stored as RabbitMQ's salted SHA-256 hashes, never in clear.
/// </summary>
public static class BrokerDefinitions
{
    public const string AdminUser = "hd-admin";

    /// <summary>
    /// The roles that get a user of their own, in the order they are written: every role but the dashboard, which
    /// reads the catalog and never touches the broker.
    /// </summary>
    public static IReadOnlyList<string> Roles => [.. PipelineRoles.All, SiteRole.Name, PredictorRole.Name];

    public static string UserOf(string role) => "hd-" + role;

    /// <summary>Every user the definitions hold: the administrator, then one per role.</summary>
    public static IReadOnlyList<string> Users => [AdminUser, .. Roles.Select(UserOf)];

    /// <summary>The variable that holds the password of <paramref name="user"/>, e.g. HD_RABBITMQ_PASSWORD_TRAINER.</summary>
    public static string PasswordVariable(string user) =>
        "HD_RABBITMQ_PASSWORD_" + user["hd-".Length..].ToUpperInvariant().Replace('-', '_');

    /// <param name="passwords">By user name: the administrator and every role's user.</param>
    public static JsonObject Create(HostSettings settings, string vhost, IReadOnlyDictionary<string, string> passwords)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrWhiteSpace(vhost);
        ArgumentNullException.ThrowIfNull(passwords);
        var users = new JsonArray { User(AdminUser, passwords, "administrator") };
        var permissions = new JsonArray { Permission(AdminUser, vhost, BrokerAccess.All) };
        foreach (var role in Roles)
        {
            users.Add(User(UserOf(role), passwords));
            permissions.Add(Permission(UserOf(role), vhost, BrokerPermissions.For(settings, [role])));
        }

        return new JsonObject
        {
            ["vhosts"] = new JsonArray { new JsonObject { ["name"] = vhost } },
            ["users"] = users,
            ["permissions"] = permissions,
        };
    }

    /// <summary>RabbitMQ's rabbit_password_hashing_sha256: base64(salt ++ SHA-256(salt ++ UTF-8 password)), 4-byte salt.</summary>
    public static string HashPassword(string password, byte[]? salt = null)
    {
        ArgumentNullException.ThrowIfNull(password);
        salt ??= RandomNumberGenerator.GetBytes(4);
        var hash = SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(password)]);
        return Convert.ToBase64String([.. salt, .. hash]);
    }

    private static JsonObject User(string name, IReadOnlyDictionary<string, string> passwords, params string[] tags) => new()
    {
        ["name"] = name,
        ["password_hash"] = HashPassword(passwords.TryGetValue(name, out var password) && password.Length > 0
            ? password
            : throw new ArgumentException($"no password for the broker user {name}: set {PasswordVariable(name)} (e.g. in .env; see .env.example)")),
        ["hashing_algorithm"] = "rabbit_password_hashing_sha256",
        ["tags"] = new JsonArray([.. tags.Select(t => JsonValue.Create(t))]),
    };

    private static JsonObject Permission(string user, string vhost, BrokerAccess access) => new()
    {
        ["user"] = user,
        ["vhost"] = vhost,
        ["configure"] = access.Configure,
        ["write"] = access.Write,
        ["read"] = access.Read,
    };
}
