using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HotDistance.Core.IO;
using HotDistance.Hosting;
using HotDistance.Hosting.Configuration;
using HotDistance.Hosting.Health;

namespace HotDistance.Cli.Commands;

/// <summary>
/// <c>hd health</c>: whether the host running beside it (same machine or container) is healthy, from the health it
/// writes every 10 s (<c>HD_HEALTH_FILE</c>): its bus connected, its workspace writable, its registry answering.
/// One line; exit 0 healthy, 3 unhealthy, silent for too long, or not writing at all. For container health checks.
/// </summary>
public static class HealthCommand
{
    public static Command Create()
    {
        var file = new Option<string?>("--file")
        {
            Description = $"The health file the host writes. Default: ${EnvironmentAliases.HealthFile}",
        };
        var maxAge = new Option<int>("--max-age")
        {
            Description = "Seconds after which a host that has not written its health counts as unhealthy",
            DefaultValueFactory = _ => 30,
        };
        var command = new Command(
            "health",
            CommandHelp.WithExamples(
                $"Say whether the host running beside this one is healthy: its bus connected, its workspace writable, its registry answering, as it wrote them to ${EnvironmentAliases.HealthFile} (hd run and hd site write it every 10 s when the variable is set). One line; exit 0 healthy, 3 not (or silent for longer than --max-age). docker-compose.yml uses it as each role's health check.",
                "hd health",
                "hd health --file /tmp/hd-health.json --max-age 60"))
        {
            file, maxAge,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var path = parse.GetValue(file) ?? Environment.GetEnvironmentVariable(EnvironmentAliases.HealthFile)
                ?? throw new ArgumentException($"no health file: pass --file or set {EnvironmentAliases.HealthFile} as the host does");
            var output = parse.InvocationConfiguration.Output;
            HostHealth? health;
            try
            {
                health = File.Exists(path) ? AtomicFile.ReadJson<HostHealth>(path) : null;
            }
            catch (JsonException exception)
            {
                await output.WriteLineAsync($"unhealthy: {path} is unreadable ({exception.Message})").ConfigureAwait(false);
                return ExitCodes.Unavailable;
            }

            if (health is null)
            {
                await output.WriteLineAsync($"unhealthy: no health written at {path} (is the host running with {EnvironmentAliases.HealthFile} set?)").ConfigureAwait(false);
                return ExitCodes.Unavailable;
            }

            var age = DateTimeOffset.UtcNow - health.CheckedAt;
            var seconds = age.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
            if (age > TimeSpan.FromSeconds(parse.GetValue(maxAge)))
            {
                await output.WriteLineAsync($"unhealthy: the host has not written its health for {seconds} s").ConfigureAwait(false);
                return ExitCodes.Unavailable;
            }

            var failed = health.Checks.Where(c => !c.Healthy).ToList();
            await output.WriteLineAsync(health.Healthy && failed.Count == 0
                ? $"healthy: {string.Join(", ", health.Checks.Select(c => c.Name))} ({seconds} s ago)"
                : $"unhealthy: {string.Join("; ", failed.Select(c => $"{c.Name}: {c.Description}"))} ({seconds} s ago)").ConfigureAwait(false);
            return health.Healthy && failed.Count == 0 ? ExitCodes.Success : ExitCodes.Unavailable;
        }));
        return command;
    }
}
