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
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var result = await CommandRunner.RunAsync(
            dotnet,
            [Path.Combine(AppContext.BaseDirectory, "hd.dll"), .. verb],
            start =>
            {
                foreach (var (name, value) in environment)
                {
                    start.Environment[name] = value;
                }

                start.Environment["NO_COLOR"] = "1";
                start.Environment["COLUMNS"] = "400";
            },
            timeout ?? TimeSpan.FromMinutes(2));
        return (result.ExitCode, result.Output);
    }
}
