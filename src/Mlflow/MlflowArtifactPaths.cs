namespace HotDistance.Mlflow;

/// <summary>
/// Maps artifact URIs to paths under the tracking server's artifact proxy
/// (<c>/api/2.0/mlflow-artifacts/artifacts/&lt;path&gt;</c>), the way the server resolves them itself:
/// <c>mlflow-artifacts:/1/abc/artifacts</c> and <c>mlflow-artifacts://host:5000/1/abc/artifacts</c> both name
/// <c>1/abc/artifacts</c>; an http(s) URI names what follows the proxy route.
/// </summary>
public static class MlflowArtifactPaths
{
    public const string Scheme = "mlflow-artifacts";
    public const string ProxyRoute = "api/2.0/mlflow-artifacts/artifacts";

    /// <summary>The proxy path of <paramref name="artifactUri"/>, or null when the URI is not served by the proxy (s3://, file://, ...).</summary>
    public static string? ProxyPathOf(string artifactUri)
    {
        ArgumentNullException.ThrowIfNull(artifactUri);
        var prefix = Scheme + ":";
        if (artifactUri.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            var rest = artifactUri[prefix.Length..];
            if (rest.StartsWith("//", StringComparison.Ordinal))
            {
                // mlflow-artifacts://host:port/path: the authority is not part of the path.
                var slash = rest.IndexOf('/', 2);
                rest = slash < 0 ? string.Empty : rest[slash..];
            }

            return rest.Trim('/');
        }

        if (Uri.TryCreate(artifactUri, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            var anchor = "/" + ProxyRoute + "/";
            var path = Uri.UnescapeDataString(uri.AbsolutePath);
            var at = path.IndexOf(anchor, StringComparison.Ordinal);
            return at < 0 ? null : path[(at + anchor.Length)..].Trim('/');
        }

        return null;
    }

    /// <summary>
    /// The proxy path of a run's artifact folder. Runs on a server that proxies artifacts say so in their URI;
    /// otherwise this is the layout MLflow gives proxied runs, which the proxy serves whatever the run's own store is.
    /// </summary>
    public static string RunRoot(MlflowRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return ProxyPathOf(run.ArtifactUri) is { Length: > 0 } path ? path : $"{run.ExperimentId}/{run.RunId}/artifacts";
    }

    /// <summary>The mlflow-artifacts URI for a proxy path, as MLflow writes run artifact URIs.</summary>
    public static string ToUri(string proxyPath) => $"{Scheme}:/{proxyPath.Trim('/')}";

    public static string Combine(string left, string right) =>
        left.Length == 0 ? right.Trim('/') : right.Length == 0 ? left.Trim('/') : left.TrimEnd('/') + "/" + right.TrimStart('/');

    /// <summary>Percent-encodes each segment, keeping the '/' separators.</summary>
    public static string EscapePath(string path) =>
        string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString));
}
