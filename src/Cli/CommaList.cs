namespace HotDistance.Cli;

/// <summary>Options that take a comma-separated list, e.g. <c>--classes mito,er</c>.</summary>
public static class CommaList
{
    /// <summary>The trimmed, non-empty items; null when the option was not given.</summary>
    public static IReadOnlyList<string>? Parse(string? text) =>
        text?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>True for the word that switches a list option off ("none").</summary>
    public static bool IsNone(string? text) => string.Equals(text?.Trim(), "none", StringComparison.OrdinalIgnoreCase);
}
