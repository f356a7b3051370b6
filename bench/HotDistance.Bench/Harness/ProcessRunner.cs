using System.Diagnostics;
using System.Text.Json;

namespace HotDistance.Bench.Harness;

/// <summary>
/// Runs one side of a benchmark in a fresh process (a C# child of this executable or a Python peer) and reads
/// the measurements it writes to its <c>--out</c> file.
/// </summary>
internal sealed class ProcessRunner(string python, string workDirectory)
{
    private int runs;

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>This executable again, with a child command.</summary>
    public SideProcess Child(string command, params string[] arguments)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running");
        var start = new ProcessStartInfo(self);

        // Under `dotnet HotDistance.Bench.dll` the process is the host, which needs the assembly first.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ProcessRunner).Assembly.Location);
        }

        start.ArgumentList.Add(command);
        return Prepare(start, arguments);
    }

    /// <summary>A script from the peers folder next to this executable, under <c>python</c>.</summary>
    public SideProcess Peer(string script, params string[] arguments)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "peers", script);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"peer script {path} is missing; rebuild bench/HotDistance.Bench", path);
        }

        var start = new ProcessStartInfo(python);
        start.ArgumentList.Add(path);
        return Prepare(start, arguments);
    }

    /// <summary>Runs a side to completion.</summary>
    public static IReadOnlyList<Measurement> Run(SideProcess side)
    {
        ArgumentNullException.ThrowIfNull(side);
        side.Start();
        return side.Finish();
    }

    /// <summary>
    /// Runs two sides' steps alternately: both set up and warm up (one after the other), then take turns, one
    /// timed step each, the side going first alternating too. A burst of load from elsewhere on the machine
    /// then hits both sides alike, and step i of one side can be paired with step i of the other. Stops after
    /// <paramref name="steps"/> pairs, or earlier once <paramref name="budget"/> is spent and
    /// <paramref name="minimumSteps"/> pairs are done, so a heavily loaded machine still finishes in time.
    /// </summary>
    public static IReadOnlyList<Measurement> RunLockstep(SideProcess a, SideProcess b, int steps, int minimumSteps, TimeSpan budget)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        a.Start();
        a.WaitFor(SideProcess.Ready);
        b.Start();
        b.WaitFor(SideProcess.Ready);
        var clock = Stopwatch.StartNew();
        for (var step = 0; step < steps && (step < minimumSteps || clock.Elapsed < budget); step++)
        {
            var (first, second) = step % 2 == 0 ? (a, b) : (b, a);
            first.Step();
            second.Step();
        }

        return [.. a.Finish(), .. b.Finish()];
    }

    /// <summary>What a child command writes to its <c>--out</c> file.</summary>
    public static void Write(string path, IReadOnlyList<Measurement> measurements) =>
        File.WriteAllText(path, JsonSerializer.Serialize(measurements, Json));

    private SideProcess Prepare(ProcessStartInfo start, string[] arguments)
    {
        var output = Path.Combine(workDirectory, $"result-{Interlocked.Increment(ref runs)}.json");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--out");
        start.ArgumentList.Add(output);
        return new SideProcess(start, output);
    }
}
