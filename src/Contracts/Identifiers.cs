namespace HotDistance.Contracts;

/// <summary>
/// The rule for every id a message carries that may become a file or folder name (generation, evaluation, crop,
/// request and site ids, variant names): 1 to <see cref="MaxLength"/> ASCII letters, digits, '.', '_' or '-',
/// starting with a letter or digit and never holding "..". Such an id cannot be a path ("../x", "/etc", "a/b")
/// or overflow a file name.
/// </summary>
public static class Identifiers
{
    public const int MaxLength = 128;

    /// <summary>The rule in words, for messages.</summary>
    public const string Rule = "1 to 128 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit, without '..'";

    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength }
        && char.IsAsciiLetterOrDigit(id[0])
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
        && !id.Contains("..", StringComparison.Ordinal);
}
