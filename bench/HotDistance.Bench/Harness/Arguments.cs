using System.Globalization;

namespace HotDistance.Bench.Harness;

/// <summary>The <c>--name value</c> options of a command; flags without a value read as "true".</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> options = new(StringComparer.Ordinal);

    public Arguments(IEnumerable<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? pending = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (pending is not null)
                {
                    options[pending] = "true";
                }

                pending = arg[2..];
            }
            else if (pending is not null)
            {
                options[pending] = arg;
                pending = null;
            }
            else
            {
                throw new ArgumentException($"unexpected argument '{arg}': options are --name value");
            }
        }

        if (pending is not null)
        {
            options[pending] = "true";
        }
    }

    public string Text(string name, string fallback) => options.TryGetValue(name, out var value) ? value : fallback;

    public string Required(string name) =>
        options.TryGetValue(name, out var value) ? value : throw new ArgumentException($"missing option --{name}");

    public int Int(string name, int fallback) =>
        options.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public bool Flag(string name) => options.TryGetValue(name, out var value) && value == "true";
}
