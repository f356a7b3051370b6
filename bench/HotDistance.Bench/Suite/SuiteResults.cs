using HotDistance.Bench.Harness;

namespace HotDistance.Bench.Suite;

/// <summary>Everything one run measured: what bench/results/latest.json holds.</summary>
internal sealed record SuiteResults(
    bool Quick,
    MachineInfo Machine,
    string LoadAverageAtEnd,
    double TotalSeconds,
    IReadOnlyDictionary<string, string> Versions,
    IReadOnlyList<Measurement> Measurements,
    IReadOnlyList<Comparison> Comparisons);
