using HotDistance.Core;

namespace HotDistance.Hosting.Configuration;

/// <summary>
/// The one way a host's settings are made: the sources (<see cref="ConfigurationSources"/>) bound onto the settings
/// records (<see cref="SettingsBinder"/>) and validated (<see cref="SettingsValidator"/>). Anything wrong stops the
/// host before it starts, with every problem named (<see cref="ConfigurationException"/>).
/// </summary>
public static class HostConfiguration
{
    public static string DefaultWorkspace => Path.Combine(Environment.CurrentDirectory, ".hd", "workspace");

    /// <summary>Every setting at its default: what runs with no file, no variable and no option.</summary>
    public static HostSettings Defaults => new() { Pipeline = new PipelineSettings { Workspace = DefaultWorkspace } };

    /// <param name="configFile">The file --config names (it must exist); null reads hd.json from the workspace when there is one.</param>
    /// <param name="commandLine">What the command line sets; its values win over every other source.</param>
    /// <param name="environment">The environment; the process's own unless a test supplies one.</param>
    public static LoadedConfiguration Load(string? configFile, ConfigurationLayer commandLine, IReadOnlyDictionary<string, string>? environment = null)
    {
        var sources = ConfigurationSources.Build(configFile, commandLine, environment ?? EnvironmentAliases.Current());
        var binder = new SettingsBinder(sources);
        var settings = binder.Bind(Defaults, sources.Root);
        var problems = binder.Problems.Concat(binder.Problems.Count == 0 ? SettingsValidator.Validate(settings, sources) : []).ToList();
        return problems.Count > 0 ? throw new ConfigurationException(problems) : new LoadedConfiguration(settings, sources);
    }
}

/// <summary>Bound, validated settings and the sources they came from (for <c>hd config show</c>).</summary>
public sealed record LoadedConfiguration(HostSettings Settings, ConfigurationSources Sources);
