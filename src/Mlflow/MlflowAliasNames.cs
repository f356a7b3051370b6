using System.Text.RegularExpressions;

namespace HotDistance.Mlflow;

/// <summary>
/// MLflow's rules for alias names, checked before a request is sent so the mistake is reported as ours:
/// letters, digits, '_' and '-', at most 255 characters; "latest" and "v&lt;digits&gt;" are reserved because MLflow
/// resolves <c>models:/name@latest</c> and version references itself.
/// </summary>
public static partial class MlflowAliasNames
{
    public const int MaxLength = 255;

    public static void Validate(string alias)
    {
        if (string.IsNullOrEmpty(alias))
        {
            throw new ArgumentException("an MLflow alias name cannot be empty", nameof(alias));
        }

        if (alias.Length > MaxLength)
        {
            throw new ArgumentException($"MLflow alias '{alias[..40]}…' is {alias.Length} characters long; the limit is {MaxLength}", nameof(alias));
        }

        if (!Allowed().IsMatch(alias))
        {
            throw new ArgumentException($"'{alias}' is not a valid MLflow alias: use only letters, digits, '_' and '-'", nameof(alias));
        }

        if (string.Equals(alias, "latest", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{alias}' is reserved by MLflow (it always means the newest version): pick another alias name", nameof(alias));
        }

        if (VersionLike().IsMatch(alias))
        {
            throw new ArgumentException($"'{alias}' is reserved by MLflow (v<digits> names a version number): pick another alias name", nameof(alias));
        }
    }

    [GeneratedRegex(@"^[\w\-]+$")]
    private static partial Regex Allowed();

    [GeneratedRegex(@"^[vV]\d+$")]
    private static partial Regex VersionLike();
}
