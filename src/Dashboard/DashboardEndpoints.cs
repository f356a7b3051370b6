using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using HotDistance.Catalog.Status;
using HotDistance.Charts;
using HotDistance.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace HotDistance.Dashboard;

/// <summary>
/// The dashboard's addresses: one static page and its script, the status as JSON (what <c>hd status --json</c>
/// prints), each generation's loss curves, and the evaluations' reports from the workspace.
/// </summary>
internal static class DashboardEndpoints
{
    private const string TokenCookie = "hd_dashboard";

    public static void Map(WebApplication app, DashboardSettings settings)
    {
        app.Use(SecurityHeaders);
        if (!string.IsNullOrEmpty(settings.Token))
        {
            var token = Encoding.UTF8.GetBytes(settings.Token);
            app.Use((context, next) => RequireToken(context, next, token));
        }

        var page = Page("index.html").Replace("{{refresh_ms}}", ((long)settings.Refresh.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var script = Page("dashboard.js");
        var style = VariantRules() + Page("dashboard.css");
        var icon = Page("favicon.svg");
        app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));
        app.MapGet("/dashboard.js", () => Results.Content(script, "text/javascript; charset=utf-8"));
        app.MapGet("/dashboard.css", () => Results.Content(style, "text/css; charset=utf-8"));
        app.MapGet("/favicon.svg", () => Results.Content(icon, "image/svg+xml"));
        // A browser asks for /favicon.ico for every page that names no icon, the evaluations' reports among them.
        app.MapGet("/favicon.ico", () => Results.Content(icon, "image/svg+xml"));
        app.MapGet("/api/status", async (DashboardData data, CancellationToken cancellationToken) =>
            Results.Content((await data.StatusAsync(cancellationToken).ConfigureAwait(false)).ToJsonString(StatusDocument.JsonOptions), "application/json"));
        app.MapGet("/api/generations/{generationId}/loss", async (string generationId, DashboardData data, CancellationToken cancellationToken) =>
            Results.Json(await data.LossCurvesAsync(generationId, cancellationToken).ConfigureAwait(false)));
        app.MapGet("/evaluations/{evaluationId}/{file}", (string evaluationId, string file, DashboardData data) =>
            data.ReportFile(evaluationId, file) is { } path ? Results.File(path, ContentType(path)) : Results.NotFound());
    }

    private static string Page(string name)
    {
        using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream($"Page/{name}")
            ?? throw new InvalidOperationException($"the dashboard's {name} is not embedded in {Assembly.GetExecutingAssembly().GetName().Name}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Each variant's colour as a CSS variable, from the one palette every chart and report uses.</summary>
    private static string VariantRules() => string.Concat(Variants.All.Select(variant =>
    {
        var color = VariantColors.Of(variant);
        return $".variant-{variant} {{ --variant: #{color.R:x2}{color.G:x2}{color.B:x2}; }}\n";
    }));

    private static string ContentType(string path) => Path.GetExtension(path).ToUpperInvariant() switch
    {
        ".HTML" => "text/html; charset=utf-8",
        ".PNG" => "image/png",
        _ => "application/json",
    };

    private static Task SecurityHeaders(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        // The token may sit in the address: no page of the dashboard hands its address to another site.
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        if (context.Request.Path == "/")
        {
            headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; frame-ancestors 'none'";
        }

        return next(context);
    }

    /// <summary>
    /// The token once in the address (<c>?token=</c>, then kept in a cookie the page's requests carry), or as a bearer
    /// token for scripts. Compared in constant time.
    /// </summary>
    private static Task RequireToken(HttpContext context, RequestDelegate next, byte[] token)
    {
        bool Matches(StringValues value) => value.Count == 1 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(value[0] ?? ""), token);

        var request = context.Request;
        if (request.Query.TryGetValue("token", out var fromAddress) && Matches(fromAddress))
        {
            context.Response.Cookies.Append(TokenCookie, fromAddress[0]!, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
            context.Response.Redirect(request.PathBase + request.Path);
            return Task.CompletedTask;
        }

        var authorization = request.Headers.Authorization.ToString();
        var bearer = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? new StringValues(authorization["Bearer ".Length..]) : StringValues.Empty;
        if (Matches(bearer) || (request.Cookies.TryGetValue(TokenCookie, out var cookie) && Matches(cookie)))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("this dashboard asks for its token: open it as /?token=<dashboard:token>, or send Authorization: Bearer <token>\n");
    }
}
