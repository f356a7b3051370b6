using HotDistance.Tests.Infrastructure;

namespace HotDistance.Tests.Cli;

/// <summary>
/// Runs an hd verb as its own process, for tests that set the environment (which <see cref="HdInProcess"/> cannot do
/// without touching every other test) or need the process's whole output, unhandled exceptions included.
/// </summary>
internal static class HdProcess
{
    /// <returns>The exit code (-1 when killed at <paramref name="timeout"/>) and stdout and stderr together.</returns>
    public static async Task<(int ExitCode, string Output)> RunAsync(string[] verb, IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null)
    {
        var result = await RunMeasuredAsync(verb, environment, timeout).ConfigureAwait(false);
        return (result.ExitCode, result.Output);
    }

    /// <summary>As <see cref="RunAsync"/>, with the process's peak resident memory.</summary>
    public static async Task<CommandResult> RunMeasuredAsync(string[] verb, IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null)
    {
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        return await CommandRunner.RunAsync(
            dotnet,
            [Path.Combine(AppContext.BaseDirectory, "hd.dll"), .. verb],
            start =>
            {
                foreach (var (name, value) in environment)
                {
                    start.Environment[name] = value;
                }

                start.Environment["NO_COLOR"] = "1";
            },
            timeout ?? TimeSpan.FromMinutes(2)).ConfigureAwait(false);
    }
}
