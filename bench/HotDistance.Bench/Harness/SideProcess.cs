using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace HotDistance.Bench.Harness;

/// <summary>
/// One side of a benchmark as a process. Lockstep sides talk over stdin/stdout: they print
/// <see cref="Ready"/> after warming up, then take one timed step per <c>step</c> line (answering
/// <see cref="Stepped"/>) until <c>finish</c>, when they write their measurements and exit.
/// </summary>
internal sealed class SideProcess(ProcessStartInfo start, string outputFile) : IDisposable
{
    public const string Ready = "@ready";
    public const string Stepped = "@step";
    public const string StepCommand = "step";
    public const string FinishCommand = "finish";

    private readonly StringBuilder stderr = new();
    private Process? process;

    public void Start()
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
    }

    public void Step()
    {
        Running.StandardInput.WriteLine(StepCommand);
        Running.StandardInput.Flush();
        WaitFor(Stepped);
    }

    /// <summary>Reads stdout until a line starting with <paramref name="token"/>; other lines are the side's own chatter.</summary>
    public void WaitFor(string token)
    {
        while (Running.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith(token, StringComparison.Ordinal))
            {
                return;
            }
        }

        Running.WaitForExit();
        throw Failure($"ended before saying '{token}'");
    }

    /// <summary>Tells a lockstep side to finish (harmless for one that runs on its own), waits, reads its results.</summary>
    public IReadOnlyList<Measurement> Finish()
    {
        try
        {
            Running.StandardInput.WriteLine(FinishCommand);
            Running.StandardInput.Close();
        }
        catch (IOException)
        {
            // A side that does not read stdin may have exited already; its exit code tells.
        }

        Running.StandardOutput.ReadToEnd();
        Running.WaitForExit();
        if (Running.ExitCode != 0 || !File.Exists(outputFile))
        {
            throw Failure($"exited with {Running.ExitCode}");
        }

        return JsonSerializer.Deserialize<List<Measurement>>(File.ReadAllText(outputFile), ProcessRunner.Json)
            ?? throw new InvalidOperationException($"{outputFile} holds no measurements");
    }

    public void Dispose() => process?.Dispose();

    private Process Running => process ?? throw new InvalidOperationException("the side has not been started");

    private InvalidOperationException Failure(string what)
    {
        string errors;
        lock (stderr)
        {
            errors = stderr.ToString();
        }

        return new InvalidOperationException($"{start.FileName} {string.Join(' ', start.ArgumentList)} {what}:{Environment.NewLine}{errors}");
    }
}
