
namespace HotDistance.Tests.Infrastructure;

/// <summary>
/// Runs an hd verb as its own process, for tests that set the environment (which <see cref="HdInProcess"/> cannot do
/// without touching every other test) or need the process's whole output, unhandled exceptions included.
/// </summary>
internal static class HdProcess
{
    /// <summary>The dotnet host running these tests (so hd runs on the same runtime), else the one on PATH.</summary>
    public static string Dotnet => Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";

    /// <summary>The hd built beside the tests.</summary>
    public static string HdDll => Path.Combine(AppContext.BaseDirectory, "hd.dll");

    /// <returns>The exit code (-1 when killed at <paramref name="timeout"/>) and stdout and stderr together.</returns>
    public static async Task<(int ExitCode, string Output)> RunAsync(string[] verb, IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null)
    {
        var result = await RunMeasuredAsync(verb, environment, timeout).ConfigureAwait(false);
        return (result.ExitCode, result.Output);
    }

    /// <summary>As <see cref="RunAsync"/>, with the process's peak resident memory.</summary>
    public static async Task<CommandResult> RunMeasuredAsync(string[] verb, IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null)
    {
        return await CommandRunner.RunAsync(
            Dotnet,
            [HdDll, .. verb],
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
