using HotDistance.Core.Blockwise;

namespace HotDistance.SiteAgent.Blockwise;

/// <summary>
/// Where a blockwise job stands, read from its done records alone (whichever processes did the blocks): blocks done of
/// the total, the rate of the blocks recorded since <c>sinceUtc</c> (voxels per second; blocks done before are not
/// counted, so a resumed job does not claim their speed), and the time left at that rate (null before any block).
/// </summary>
public sealed record BlockwiseStanding(int Done, int Total, double VoxelsPerSecond, TimeSpan? Eta)
{
    public static BlockwiseStanding Of(SegmentationZarrWriter output, BlockPlan plan, DateTime sinceUtc, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(plan);
        var done = output.ListDone().Where(d => d.Index < plan.Count).ToList();
        var recent = done.Where(d => d.WrittenUtc >= sinceUtc).Sum(d => plan[d.Index].Voxels);
        var remaining = plan.Volume.Count - done.Sum(d => plan[d.Index].Voxels);
        var rate = recent / Math.Max((nowUtc - sinceUtc).TotalSeconds, 1e-3);
        return new BlockwiseStanding(done.Count, plan.Count, rate, rate > 0 ? TimeSpan.FromSeconds(remaining / rate) : null);
    }
}
