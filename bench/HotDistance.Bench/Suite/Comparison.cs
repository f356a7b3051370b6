namespace HotDistance.Bench.Suite;

/// <summary>One line of the verdict: a ratio between two measurements of the same run and the goal it answers.</summary>
/// <param name="Name">What is compared, e.g. "EDT 256^3: C# 2 threads / scipy".</param>
/// <param name="Ratio">The ratio of medians, as <paramref name="Name"/> orders it.</param>
/// <param name="Goal">The goal for it, e.g. "<= 0.50".</param>
/// <param name="Met">Whether the ratio meets the goal; null where there is no goal.</param>
/// <param name="Note">What the reader must know beside the number (version gaps, agreement).</param>
internal sealed record Comparison(string Name, double Ratio, string Goal, bool? Met, string Note);
