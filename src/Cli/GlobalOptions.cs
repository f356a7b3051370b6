using System.CommandLine;
using HotDistance.Hosting;

namespace HotDistance.Cli;

/// <summary>Options every verb understands; environment variables supply them when absent.</summary>
public static class GlobalOptions
{
    public static Option<string?> Workspace { get; } = new("--workspace", "-w")
    {
        Description = $"Workspace folder shared by the roles (crops, checkpoints, reports, local registry). Default: ${HostSettingsLoader.WorkspaceVariable} or ./.hd/workspace",
        Recursive = true,
    };

    public static Option<string?> RabbitMq { get; } = new("--rabbitmq")
    {
        Description = $"RabbitMQ URI, e.g. amqp://guest:guest@localhost:5672/. Default: ${HostSettingsLoader.RabbitMqVariable}, else the in-process bus",
        Recursive = true,
    };

    public static HostSettings Load(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return HostSettingsLoader.FromEnvironment(parse.GetValue(Workspace), parse.GetValue(RabbitMq));
    }
}
