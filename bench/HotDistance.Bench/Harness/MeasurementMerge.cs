namespace HotDistance.Bench.Harness;

/// <summary>
/// Pools the rounds of one benchmark side: the suite runs the two sides in ABBA order, so a burst of load from
/// elsewhere on the machine lands on both sides rather than on whichever happened to run during it.
/// </summary>
internal static class MeasurementMerge
{
    /// <summary>
    /// One measurement per (benchmark, side, implementation), in first-seen order: all timed repetitions, the
    /// highest peak, and the details of the first round plus any key only a later round reported.
    /// </summary>
    public static IReadOnlyList<Measurement> Combine(IEnumerable<Measurement> measurements)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        return measurements
            .GroupBy(m => (m.Benchmark, m.Side, m.Implementation))
            .Select(group =>
            {
                var rounds = group.ToList();
                var details = new Dictionary<string, System.Text.Json.JsonElement>(StringComparer.Ordinal);
                foreach (var round in rounds)
                {
                    foreach (var (key, value) in round.Details)
                    {
                        details.TryAdd(key, value);
                    }
                }

                details["rounds"] = System.Text.Json.JsonSerializer.SerializeToElement(rounds.Count);
                return rounds[0] with
                {
                    Seconds = rounds.SelectMany(r => r.Seconds).ToArray(),
                    CpuSeconds = rounds.SelectMany(r => r.CpuSeconds).ToArray(),
                    PeakRssKiB = rounds.Max(r => r.PeakRssKiB),
                    Details = details,
                };
            })
            .ToList();
    }
}
