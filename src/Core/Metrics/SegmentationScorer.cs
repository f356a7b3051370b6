using HotDistance.Core.Crops;
using HotDistance.Core.PostProcessing;
using HotDistance.Core.Volumes;

namespace HotDistance.Core.Metrics;

/// <summary>
/// Scores predictions against held-out crops class by class and pools the counts across crops the way the
/// CellMap segmentation challenge does. Safe to feed from several threads.
/// </summary>
public sealed class SegmentationScorer
{
    private readonly Lock _gate = new();
    private readonly List<CropClassScore> _scores = [];
    private readonly HashSet<(string Crop, string Class)> _seen = [];

    public SegmentationScorer(ScoringOptions? options = null)
    {
        Options = options ?? new ScoringOptions();
    }

    public ScoringOptions Options { get; }

    /// <summary>Scores one class of one crop and keeps it for the report. Each (crop, class) may be added once.</summary>
    public CropClassScore Add(string cropName, VoxelSize voxelSize, ClassLabels truth, ClassPrediction prediction)
    {
        var score = Score(cropName, voxelSize, truth, prediction, Options);
        lock (_gate)
        {
            if (!_seen.Add((cropName, truth.ClassName)))
            {
                throw new InvalidOperationException($"crop '{cropName}' class '{truth.ClassName}' was already scored; score each crop and class once");
            }

            _scores.Add(score);
        }

        return score;
    }

    /// <summary>
    /// Scores every class that <paramref name="crop"/> annotates and <paramref name="predictions"/> holds. Classes
    /// annotated but not predicted are skipped: decide before calling whether a missing class should count.
    /// </summary>
    public IReadOnlyList<CropClassScore> AddCrop(Crop crop, IReadOnlyDictionary<string, ClassPrediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(crop);
        ArgumentNullException.ThrowIfNull(predictions);
        var scores = new List<CropClassScore>();
        foreach (var (className, labels) in crop.Labels.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (predictions.TryGetValue(className, out var prediction))
            {
                scores.Add(Add(crop.Name, crop.VoxelSize, labels, prediction));
            }
        }

        return scores;
    }

    /// <summary>Pools everything added so far; classes sorted by name, crops in the order they were added.</summary>
    public ScoreReport CreateReport()
    {
        List<CropClassScore> scores;
        lock (_gate)
        {
            scores = [.. _scores];
        }

        return Pool(scores, Options);
    }

    /// <summary>
    /// A report of per-crop scores made elsewhere (or read back from a file): each class's counts pooled over its crops,
    /// classes sorted by name, crops in the order given.
    /// </summary>
    public static ScoreReport Pool(IReadOnlyList<CropClassScore> scores, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(options);
        var classes = scores
            .GroupBy(s => s.ClassName, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var voxels = g.Aggregate(default(ConfusionCounts), (sum, s) => sum + s.Voxels);
                var kind = options.InstanceClasses.Contains(g.Key) ? ClassKind.Instance : ClassKind.Semantic;
                InstanceCounts? instances = kind == ClassKind.Instance
                    ? g.Aggregate(default(InstanceCounts), (sum, s) => sum + s.Instances!.Counts)
                    : null;
                return new ClassScore(g.Key, kind, g.Count(), voxels, instances);
            })
            .ToList();
        return new ScoreReport(classes, scores);
    }

    /// <summary>Scores one class of one crop without keeping it.</summary>
    public static CropClassScore Score(string cropName, VoxelSize voxelSize, ClassLabels truth, ClassPrediction prediction, ScoringOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(cropName);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(prediction);
        options ??= new ScoringOptions();
        var where = $"crop '{cropName}' class '{truth.ClassName}'";
        var shape = truth.Mask.Shape;
        RequireShape(where, "prediction mask", prediction.Mask.Shape, shape);
        if (truth.Instances is { } truthInstances)
        {
            RequireShape(where, "truth instances", truthInstances.Shape, shape);
        }

        if (prediction.Instances is { } predictedInstances)
        {
            RequireShape(where, "predicted instances", predictedInstances.Shape, shape);
        }

        var voxels = ConfusionCounts.FromMasks(truth.Mask, prediction.Mask);
        if (!options.InstanceClasses.Contains(truth.ClassName))
        {
            return new CropClassScore(cropName, truth.ClassName, ClassKind.Semantic, voxels, null);
        }

        if (!voxelSize.IsValid)
        {
            throw new ArgumentException($"{where}: voxel size {voxelSize} must be positive and finite", nameof(voxelSize));
        }

        var (truthIds, predictedIds) = InstanceInputs(truth, prediction, options.DerivedInstanceConnectivity);
        var evaluation = InstanceEvaluator.Evaluate(truthIds, predictedIds, voxelSize, options.MinMatchIoU);
        return new CropClassScore(cropName, truth.ClassName, ClassKind.Instance, voxels, evaluation);
    }

    /// <summary>
    /// Instance ids for both sides, derived from the masks where missing; voxels whose truth is unknown are
    /// cleared on both sides (the challenge multiplies both by its validity mask). Given predicted ids are then split
    /// into their 26-connected pieces, as the challenge relabels a prediction before matching: an id on two separate
    /// objects is two predicted instances.
    /// </summary>
    private static (Volume<uint> Truth, Volume<uint> Prediction) InstanceInputs(ClassLabels truth, ClassPrediction prediction, Connectivity connectivity)
    {
        var unknown = truth.Mask.Data;
        var hasUnknown = Array.IndexOf(unknown, LabelValues.Unknown) >= 0;
        var truthIds = truth.Instances ?? ConnectedComponents.Label(KnownPresent(truth.Mask), connectivity).Labels;
        var predictedIds = prediction.Instances is { } given
            ? ConnectedComponents.SplitLabels(hasUnknown ? ClearUnknown(given, unknown) : given).Labels
            : ConnectedComponents.Label(hasUnknown ? ClearUnknown(prediction.Mask, unknown) : prediction.Mask, connectivity).Labels;
        return (hasUnknown ? ClearUnknown(truthIds, unknown) : truthIds, predictedIds);
    }

    private static Volume<T> ClearUnknown<T>(Volume<T> volume, byte[] truthMask)
        where T : unmanaged
    {
        var cleared = volume.Clone();
        for (var i = 0; i < truthMask.Length; i++)
        {
            if (truthMask[i] == LabelValues.Unknown)
            {
                cleared.Data[i] = default;
            }
        }

        return cleared;
    }

    private static Volume<byte> KnownPresent(Volume<byte> mask)
    {
        var present = new byte[mask.Data.Length];
        for (var i = 0; i < present.Length; i++)
        {
            var value = mask.Data[i];
            present[i] = value is not LabelValues.Absent and not LabelValues.Unknown ? (byte)1 : (byte)0;
        }

        return new Volume<byte>(mask.Shape, present);
    }

    private static void RequireShape(string where, string what, Shape3 actual, Shape3 expected)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{where}: {what} is {actual} but the truth mask is {expected}; resample or crop the prediction to the truth grid");
        }
    }
}
