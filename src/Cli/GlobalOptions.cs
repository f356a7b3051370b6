using System.CommandLine;
using HotDistance.Hosting;
using HotDistance.Hosting.Configuration;

namespace HotDistance.Cli;

/// <summary>Options every verb understands; the configuration (hd.json, HD_* variables) supplies them when absent.</summary>
public static class GlobalOptions
{
    public static Option<string?> Workspace { get; } = new("--workspace", "-w")
    {
        Description = $"Workspace folder shared by the roles (crops, checkpoints, reports, local registry). Default: ${EnvironmentAliases.Workspace} or ./.hd/workspace",
        Recursive = true,
    };

    public static Option<string?> RabbitMq { get; } = new("--rabbitmq")
    {
        Description = $"RabbitMQ URI, e.g. amqp://guest:guest@localhost:5672/. Default: ${EnvironmentAliases.RabbitMq}, else the in-process bus",
        Recursive = true,
    };

    public static Option<string?> Config { get; } = new("--config")
    {
        Description = $"The configuration file (JSON, comments allowed; hd config init writes one). Default: {ConfigurationSources.FileName} in the workspace, when there is one",
        Recursive = true,
    };

    /// <summary>The validated configuration: defaults, then the file, then the environment, then these options.</summary>
    public static LoadedConfiguration Configuration(ParseResult parse, string? workspace = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var commandLine = new ConfigurationLayer();
        if ((workspace ?? parse.GetValue(Workspace)) is { } chosen)
        {
            commandLine.Set("pipeline:workspace", chosen, workspace is null ? "--workspace" : "hd demo's workspace");
        }

        if (parse.GetValue(RabbitMq) is { } rabbitMq)
        {
            commandLine.Set("rabbitMqUri", rabbitMq, "--rabbitmq");
        }

        return HostConfiguration.Load(parse.GetValue(Config), commandLine);
    }

    public static HostSettings Load(ParseResult parse) => Configuration(parse).Settings;
}
