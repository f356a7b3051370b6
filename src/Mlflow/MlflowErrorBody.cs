using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HotDistance.Mlflow;

/// <summary>
/// Reads an error response into (error code, message). MLflow itself answers JSON
/// <c>{"error_code": ..., "message": ...}</c>, but proxies in front of it (nginx, an auth gateway) and MLflow's own
/// "artifacts disabled" answers send HTML or plain text, so every shape has to give a readable line.
/// </summary>
public static partial class MlflowErrorBody
{
    private const int MaxMessageLength = 1000;

    public static (string? ErrorCode, string Message) Parse(string? body)
    {
        var text = body?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            return (null, "(empty response body)");
        }

        if (text[0] == '{' && TryParseJson(text, out var code, out var message))
        {
            return (code, Shorten(message));
        }

        if (text[0] == '<')
        {
            return (null, Shorten(HtmlToText(text)));
        }

        return (null, Shorten(Collapse(text)));
    }

    private static bool TryParseJson(string text, out string? errorCode, out string message)
    {
        errorCode = null;
        message = text;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var root = document.RootElement;
            if (root.TryGetProperty("error_code", out var codeElement) && codeElement.ValueKind == JsonValueKind.String)
            {
                errorCode = codeElement.GetString();
            }

            if (root.TryGetProperty("message", out var messageElement) && messageElement.ValueKind == JsonValueKind.String)
            {
                message = messageElement.GetString() ?? text;
            }
            else
            {
                message = Collapse(text);
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string HtmlToText(string html)
    {
        var withoutScripts = ScriptOrStyle().Replace(html, " ");
        var withoutTags = Tag().Replace(withoutScripts, " ");
        return Collapse(WebUtility.HtmlDecode(withoutTags));
    }

    private static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    private static string Shorten(string text) =>
        text.Length <= MaxMessageLength ? text : string.Concat(text.AsSpan(0, MaxMessageLength), "…");

    [GeneratedRegex(@"<(script|style)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.Singleline)]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
