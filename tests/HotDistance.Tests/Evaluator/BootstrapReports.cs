using HotDistance.Contracts;
using HotDistance.Core.Metrics;
using HotDistance.Evaluator;

namespace HotDistance.Tests.Evaluator;

/// <summary>Score reports built straight from per-crop IoUs of one semantic class, for decision tests.</summary>
internal static class BootstrapReports
{
    private const long VoxelsPerCrop = 1000;

    /// <summary>A crop with IoU <paramref name="iou"/>: TP = iou * 1000 of 1000 truth-or-predicted voxels.</summary>
    public static ScoreReport FromIoUs(IReadOnlyList<double> ious)
    {
        var crops = ious.Select((iou, i) =>
        {
            var tp = (long)Math.Round(iou * VoxelsPerCrop);
            return new CropClassScore($"crop-{i:D2}", "er", ClassKind.Semantic, new ConfusionCounts(tp, (VoxelsPerCrop - tp) / 2, VoxelsPerCrop - tp - ((VoxelsPerCrop - tp) / 2), 5000), null);
        }).ToList();
        var pooled = crops.Aggregate(default(ConfusionCounts), (sum, c) => sum + c.Voxels);
        return new ScoreReport([new ClassScore("er", ClassKind.Semantic, crops.Count, pooled, null)], crops);
    }

    public static ScoredModel Model(string variant, string role, IReadOnlyList<double> ious)
    {
        var report = FromIoUs(ious);
        var perClass = report.Classes.ToDictionary(c => c.ClassName, c => c.Score, StringComparer.Ordinal);
        return new ScoredModel(new ModelScore(variant, role, $"generations/gen-0001/{variant}-{role}/final", "sha-" + variant, report.Overall, perClass), report);
    }

    /// <summary>Per-crop IoUs around <paramref name="mean"/> with uniform noise of +-<paramref name="spread"/>.</summary>
    public static double[] Noisy(int crops, double mean, double spread, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, crops).Select(_ => Math.Clamp(mean + ((random.NextDouble() * 2) - 1) * spread, 0, 1)).ToArray();
    }
}
