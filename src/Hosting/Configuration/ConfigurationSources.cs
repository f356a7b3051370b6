using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace HotDistance.Hosting.Configuration;

/// <summary>
/// Where settings come from, highest first: command-line options, the environment (<see cref="EnvironmentAliases"/>),
/// the file <c>hd.json</c> (given with <c>--config</c>, else the workspace's own), then the settings records' defaults.
/// The file is JSON with comments allowed (<c>hd config init</c> writes a commented one). Knows, for every key, which
/// source set it.
/// </summary>
public sealed class ConfigurationSources
{
    public const string FileName = "hd.json";

    private readonly List<(IConfigurationProvider Provider, Func<string, string?> Origin)> layers;

    private ConfigurationSources(IConfigurationRoot root, string? file, List<(IConfigurationProvider, Func<string, string?>)> layers)
    {
        Root = root;
        File = file;
        this.layers = layers;
    }

    public IConfigurationRoot Root { get; }

    /// <summary>The configuration file read, or null when there is none.</summary>
    public string? File { get; }

    /// <param name="configFile">The file <c>--config</c> names; it must exist. Null looks for hd.json in the workspace.</param>
    /// <param name="commandLine">Keys the command line sets (e.g. --workspace as pipeline:workspace), with the option behind each.</param>
    public static ConfigurationSources Build(string? configFile, ConfigurationLayer commandLine, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var fromEnvironment = EnvironmentAliases.Read(environment);
        var file = configFile is not null ? Path.GetFullPath(configFile) : WorkspaceFile(commandLine, fromEnvironment);
        if (configFile is not null && !System.IO.File.Exists(file))
        {
            throw new ConfigurationException($"--config {configFile}: no such file; write one with hd config init --output {configFile}");
        }

        var builder = new ConfigurationBuilder();
        var origins = new List<Func<string, string?>>();
        if (file is not null)
        {
            builder.AddJsonFile(file, optional: false, reloadOnChange: false);
            origins.Add(_ => file);
        }

        builder.Add(new MemoryConfigurationSource { InitialData = fromEnvironment.Values });
        origins.Add(fromEnvironment.OriginOf);
        builder.Add(new MemoryConfigurationSource { InitialData = commandLine.Values });
        origins.Add(commandLine.OriginOf);

        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (Exception exception) when (exception is FormatException or InvalidDataException or IOException)
        {
            throw new ConfigurationException($"{file}: {exception.Message} {exception.InnerException?.Message}".Trim() + "; fix the file (JSON, comments allowed)", exception);
        }

        return new ConfigurationSources(root, file, root.Providers.Zip(origins).ToList());
    }

    /// <summary>Where the value of <paramref name="key"/> (or of the keys under it) came from; "default" when no source sets it.</summary>
    public string OriginOf(string key)
    {
        for (var i = layers.Count - 1; i >= 0; i--)
        {
            var (provider, origin) = layers[i];
            if (provider.TryGet(key, out _))
            {
                return origin(key) ?? "default";
            }

            var parent = provider.GetChildKeys([], key).FirstOrDefault();
            if (parent is not null)
            {
                return origin($"{key}:{parent}") ?? origin(key) ?? "default";
            }
        }

        return "default";
    }

    private static string? WorkspaceFile(ConfigurationLayer commandLine, ConfigurationLayer environment)
    {
        var workspace = commandLine.Values.GetValueOrDefault("pipeline:workspace")
            ?? environment.Values.GetValueOrDefault("pipeline:workspace")
            ?? HostConfiguration.DefaultWorkspace;
        var file = Path.Combine(Path.GetFullPath(workspace), FileName);
        return System.IO.File.Exists(file) ? file : null;
    }
}
