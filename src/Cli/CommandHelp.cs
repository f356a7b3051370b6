namespace HotDistance.Cli;

/// <summary>A verb's description as <c>--help</c> prints it: what it does, then examples to copy.</summary>
public static class CommandHelp
{
    public static string WithExamples(string summary, params string[] examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        return $"{summary}{Environment.NewLine}{Environment.NewLine}Examples:{string.Concat(examples.Select(e => $"{Environment.NewLine}  {e}"))}";
    }
}
