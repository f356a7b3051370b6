namespace HotDistance.Hosting.Configuration;

/// <summary>
/// The configuration cannot start a host: each problem names the key, the value, where the value came from (a file,
/// a variable, an option) and what is allowed. A bad argument to hd (exit 2), so it derives from
/// <see cref="ArgumentException"/>.
/// </summary>
public sealed class ConfigurationException : ArgumentException
{
    public ConfigurationException()
    {
        Problems = [];
    }

    public ConfigurationException(string message)
        : base(message)
    {
        Problems = [message];
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public ConfigurationException(IReadOnlyList<string> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }

    private static string Describe(IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return problems.Count == 1
            ? $"invalid configuration: {problems[0]}"
            : $"invalid configuration, {problems.Count} problems:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Select(p => "  - " + p))}";
    }
}
