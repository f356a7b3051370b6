using System.Collections.Concurrent;
using System.Diagnostics;

namespace HotDistance.Tests.Infrastructure;

/// <summary>
/// <c>hd run --roles ...</c> as a child process (the hd built beside the tests), so a test can kill a role the way
/// a machine dies: no shutdown, no acknowledgement, whatever it held goes back to the broker.
/// </summary>
internal sealed class RoleProcess : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private RoleProcess(Process process) => this.process = process;

    public string Output => string.Join(Environment.NewLine, output);

    public bool HasExited => process.HasExited;

    /// <summary>Its peak resident memory so far.</summary>
    public long PeakWorkingSetBytes => CommandRunner.PeakWorkingSet(process);

    /// <param name="arguments">More options for <c>hd run</c>, e.g. <c>--watch</c> and a folder.</param>
    public static RoleProcess Start(string roles, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        StartVerb(["run", "--roles", roles, .. arguments], environment);

    /// <summary>Any long-running hd verb (<c>hd serve</c>, <c>hd site</c>) as a child process.</summary>
    public static RoleProcess StartVerb(IReadOnlyList<string> verb, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var startInfo = new ProcessStartInfo(HdProcess.Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in verb.Prepend(HdProcess.HdDll))
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        // Plain log lines: no colour codes or line wrapping to get in the way of matching.
        startInfo.Environment["NO_COLOR"] = "1";
        var process = new Process { StartInfo = startInfo };
        var child = new RoleProcess(process);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Kills the process and its children at once, like a power cut.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }
}
