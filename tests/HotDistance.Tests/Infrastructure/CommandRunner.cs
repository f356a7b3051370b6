using System.Diagnostics;
using System.Text;

namespace HotDistance.Tests.Infrastructure;

/// <summary>
/// Output of a short-lived command run to completion, and its peak resident memory (the kernel's high-water mark,
/// read while it ran: what it reached up to its last few milliseconds).
/// </summary>
internal sealed record CommandResult(int ExitCode, string Output, long PeakWorkingSetBytes = 0)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Runs short-lived helper commands (rabbitmqctl, epmd) with a hard time limit.</summary>
internal static class CommandRunner
{
    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="arguments"/> (after <paramref name="configure"/> has
    /// adjusted the start info, e.g. its environment) and returns its exit code with stdout and stderr interleaved. A command that outlives
    /// <paramref name="timeout"/> is killed (with its children) and reported with exit code -1.
    /// </summary>
    public static async Task<CommandResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        Action<ProcessStartInfo>? configure,
        TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        configure?.Invoke(startInfo);
        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var limit = new CancellationTokenSource(timeout);
        long peak = 0;
        try
        {
            var exited = process.WaitForExitAsync(limit.Token);
            while (!exited.IsCompleted)
            {
                peak = Math.Max(peak, PeakWorkingSet(process));
                await Task.WhenAny(exited, Task.Delay(20, CancellationToken.None)).ConfigureAwait(false);
            }

            await exited.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
            Append(output, $"[killed after {timeout.TotalSeconds:0} s]");
            return new CommandResult(-1, Snapshot(output));
        }

        // The parameterless wait also drains the asynchronous output readers.
        await process.WaitForExitAsync().ConfigureAwait(false);
        return new CommandResult(process.ExitCode, Snapshot(output), peak);
    }

    /// <summary>
    /// The process's peak resident memory so far, the kernel's high-water mark (VmHWM in /proc/&lt;pid&gt;/status), or 0
    /// once it has gone. Read from the file each time: Process.PeakWorkingSet64 gave stale figures.
    /// </summary>
    public static long PeakWorkingSet(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        try
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return 0;
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString().Trim();
        }
    }
}
