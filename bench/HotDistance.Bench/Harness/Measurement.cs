using System.Text.Json;
using System.Text.Json.Serialization;

namespace HotDistance.Bench.Harness;

/// <summary>
/// One implementation's timings of one benchmark, as a C# child process or a Python peer reports them (the
/// same JSON shape from both, camelCase).
/// </summary>
internal sealed record Measurement
{
    /// <summary>What was measured, e.g. <c>edt-256</c>, <c>train-64</c>, <c>targets-128</c>.</summary>
    public required string Benchmark { get; init; }

    /// <summary>Which code ran, e.g. <c>HotDistance C# (2 threads)</c> or <c>scipy 1.10.1</c>.</summary>
    public required string Implementation { get; init; }

    /// <summary><c>csharp</c> or <c>python</c>.</summary>
    public required string Side { get; init; }

    /// <summary>Wall-clock seconds of each timed repetition (warm-up excluded).</summary>
    public required IReadOnlyList<double> Seconds { get; init; }

    /// <summary>Process CPU seconds (all threads) of the same repetitions.</summary>
    public IReadOnlyList<double> CpuSeconds { get; init; } = [];

    /// <summary>The process's peak resident set (VmHWM / ru_maxrss) after the timed repetitions, in KiB.</summary>
    public long PeakRssKiB { get; init; }

    /// <summary>Benchmark-specific facts: threads, sizes, library versions, agreement checks.</summary>
    public IReadOnlyDictionary<string, JsonElement> Details { get; init; } = new Dictionary<string, JsonElement>();

    [JsonInclude]
    public double MedianSeconds => Statistics.Median(Seconds);

    [JsonInclude]
    public double MinSeconds => Seconds.Count == 0 ? double.NaN : Seconds.Min();

    [JsonInclude]
    public double MedianCpuSeconds => Statistics.Median(CpuSeconds);

    public string Detail(string key) => Details.TryGetValue(key, out var value)
        ? value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : value.GetRawText()
        : string.Empty;

    public double DetailNumber(string key) =>
        Details.TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : double.NaN;
}
