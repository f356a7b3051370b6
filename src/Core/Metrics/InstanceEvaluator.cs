using HotDistance.Core.PostProcessing;
using HotDistance.Core.Volumes;

namespace HotDistance.Core.Metrics;

/// <summary>
/// The challenge's instance evaluation: optimal 1:1 matching of truth and predicted instances on IoU, then the
/// Hausdorff distance of every matched pair.
/// </summary>
public static class InstanceEvaluator
{
    /// <summary>
    /// Matches instances (ids: 0 background, any other value an instance) and measures matched pairs.
    /// Only pairs with IoU strictly above <paramref name="minIoU"/> can match; among those the matching
    /// maximises the summed IoU (the challenge's min-cost flow optimum).
    /// </summary>
    public static InstanceEvaluation Evaluate(Volume<uint> truth, Volume<uint> prediction, VoxelSize voxelSize, double minIoU = 0)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(prediction);
        if (truth.Shape != prediction.Shape)
        {
            throw new ArgumentException($"truth is {truth.Shape} but prediction is {prediction.Shape}; they must match", nameof(prediction));
        }

        if (!voxelSize.IsValid)
        {
            throw new ArgumentException($"voxel size {voxelSize} must be positive and finite", nameof(voxelSize));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(minIoU);
        var shape = truth.Shape;
        var truthLabels = CompactLabels.From(truth.Data);
        var predictedLabels = CompactLabels.From(prediction.Data);
        var overlaps = Overlaps.Measure(truthLabels, predictedLabels, shape);
        var pairs = Match(overlaps, truthLabels.Count, predictedLabels.Count, minIoU);

        var cap = HausdorffCap(shape, voxelSize);
        var matches = new InstanceMatch[pairs.Count];
        Parallel.For(0, pairs.Count, k =>
        {
            var (t, p, iou) = pairs[k];
            var box = overlaps.TruthBoxes[t].Union(overlaps.PredictionBoxes[p]);
            var distance = HausdorffDistance.BetweenLabels(truthLabels.Labels, t, predictedLabels.Labels, p, shape, box, voxelSize);
            matches[k] = new InstanceMatch(truthLabels.OriginalIds[t], predictedLabels.OriginalIds[p], iou, Math.Min(distance, cap));
        });

        return new InstanceEvaluation(
            truthLabels.Count,
            predictedLabels.Count,
            matches,
            cap,
            Tally(matches, truthLabels.Count, predictedLabels.Count, cap, voxelSize));
    }

    /// <summary>The challenge's distance cap: the largest distance to the crop's nearest face, min(extent * voxel / 2).</summary>
    public static double HausdorffCap(Shape3 shape, VoxelSize voxelSize) =>
        Math.Min(shape.Z * voxelSize.Z, Math.Min(shape.Y * voxelSize.Y, shape.X * voxelSize.X)) / 2.0;

    /// <summary>1.01^(-distance / |voxel size|), |voxel size| the Euclidean norm of the (z, y, x) sizes.</summary>
    public static double NormalizeDistance(double distanceNm, VoxelSize voxelSize)
    {
        var norm = Math.Sqrt(voxelSize.Z * voxelSize.Z + voxelSize.Y * voxelSize.Y + voxelSize.X * voxelSize.X);
        return double.IsPositiveInfinity(distanceNm) ? 0.0 : Math.Pow(1.01, -distanceNm / norm);
    }

    private static InstanceCounts Tally(InstanceMatch[] matches, int truthCount, int predictionCount, double cap, VoxelSize voxelSize)
    {
        var tp = matches.Length;
        var fp = predictionCount - tp;
        var fn = truthCount - tp;
        var missed = NormalizeDistance(cap, voxelSize);
        var normalizedSum = (fn + fp) * missed;
        var matchedSum = 0.0;
        foreach (var match in matches)
        {
            normalizedSum += NormalizeDistance(match.HausdorffNm, voxelSize);
            matchedSum += match.HausdorffNm;
        }

        return new InstanceCounts(tp, fp, fn, normalizedSum, truthCount + fp, matchedSum);
    }

    /// <summary>The challenge's cost resolution (its mcmf_cost_scale): a pair costs ⌊(1 - IoU) · scale⌋, an unmatched truth scale + 1.</summary>
    private const double ChallengeCostScale = 1_000_000;

    /// <summary>
    /// The challenge's 1:1 matching. Its min-cost flow pays ⌊(1 - IoU) · 10^6⌋ per pair (IoU in float32) and
    /// 10^6 + 1 per unmatched truth, which is to maximise, per pair, the integer weight 10^6 + 1 - ⌊(1 - IoU) · 10^6⌋:
    /// the summed IoU at the challenge's resolution first, then, on a tie, the number of pairs. Instances only compete
    /// with those they overlap, so the overlap graph splits into independent components; each is solved on its own
    /// small dense matrix of those weights. Matched pairs keep their exact IoU.
    /// </summary>
    private static List<(uint Truth, uint Prediction, double IoU)> Match(Overlaps overlaps, int truthCount, int predictionCount, double minIoU)
    {
        var edges = new List<(uint Truth, uint Prediction, double IoU)>();
        foreach (var (key, intersection) in overlaps.Intersections)
        {
            var t = (uint)(key >> 32);
            var p = (uint)key;
            var union = overlaps.TruthSizes[t] + overlaps.PredictionSizes[p] - intersection;
            var iou = (double)intersection / union;
            if (iou > minIoU)
            {
                edges.Add((t, p, iou));
            }
        }

        // Nodes: truth t is t, prediction p is truthCount + p (all 1-based).
        var sets = new DisjointSets(truthCount + predictionCount + 1);
        for (var n = 0; n < truthCount + predictionCount; n++)
        {
            sets.Add();
        }

        foreach (var (t, p, _) in edges)
        {
            sets.Union(t, (uint)truthCount + p);
        }

        var matches = new List<(uint, uint, double)>();
        foreach (var component in edges.GroupBy(e => sets.Find(e.Truth)).OrderBy(g => g.Key))
        {
            var componentEdges = component.ToList();
            if (componentEdges.Count == 1)
            {
                matches.Add(componentEdges[0]);
                continue;
            }

            var truths = componentEdges.Select(e => e.Truth).Distinct().Order().ToList();
            var predictions = componentEdges.Select(e => e.Prediction).Distinct().Order().ToList();
            var row = truths.Select((id, index) => (id, index)).ToDictionary(x => x.id, x => x.index);
            var column = predictions.Select((id, index) => (id, index)).ToDictionary(x => x.id, x => x.index);
            var weights = new double[truths.Count, predictions.Count];
            var ious = new double[truths.Count, predictions.Count];
            foreach (var (t, p, iou) in componentEdges)
            {
                weights[row[t], column[p]] = ChallengeCostScale + 1 - Math.Floor((1.0 - (float)iou) * ChallengeCostScale);
                ious[row[t], column[p]] = iou;
            }

            var assignment = HungarianAlgorithm.MaximizeWeight(weights);
            for (var r = 0; r < assignment.Length; r++)
            {
                var c = assignment[r];
                if (c >= 0 && weights[r, c] > 0)
                {
                    matches.Add((truths[r], predictions[c], ious[r, c]));
                }
            }
        }

        matches.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return matches;
    }

    /// <summary>Sizes, bounding boxes and pairwise intersections of compact-labelled truth and prediction.</summary>
    private sealed class Overlaps
    {
        public required long[] TruthSizes { get; init; }

        public required long[] PredictionSizes { get; init; }

        public required VoxelBox[] TruthBoxes { get; init; }

        public required VoxelBox[] PredictionBoxes { get; init; }

        /// <summary>Key (truth &lt;&lt; 32 | prediction) to voxel count.</summary>
        public required Dictionary<ulong, long> Intersections { get; init; }

        public static Overlaps Measure(CompactLabels truth, CompactLabels prediction, Shape3 shape)
        {
            var truthSizes = new long[truth.Count + 1];
            var predictionSizes = new long[prediction.Count + 1];
            var truthBoxes = new VoxelBox[truth.Count + 1];
            var predictionBoxes = new VoxelBox[prediction.Count + 1];
            Array.Fill(truthBoxes, VoxelBox.Empty);
            Array.Fill(predictionBoxes, VoxelBox.Empty);
            var intersections = new Dictionary<ulong, long>();
            var t = truth.Labels;
            var p = prediction.Labels;

            // Neighbouring voxels usually share their pair of ids, so runs are counted before touching the dictionary.
            ulong runKey = 0;
            long runLength = 0;
            var i = 0;
            for (var z = 0; z < shape.Z; z++)
            {
                for (var y = 0; y < shape.Y; y++)
                {
                    for (var x = 0; x < shape.X; x++, i++)
                    {
                        var ti = t[i];
                        var pi = p[i];
                        if (ti != 0)
                        {
                            truthSizes[ti]++;
                            truthBoxes[ti] = truthBoxes[ti].Include(z, y, x);
                        }

                        if (pi != 0)
                        {
                            predictionSizes[pi]++;
                            predictionBoxes[pi] = predictionBoxes[pi].Include(z, y, x);
                        }

                        if (ti != 0 && pi != 0)
                        {
                            var key = ((ulong)ti << 32) | pi;
                            if (key != runKey)
                            {
                                Flush(intersections, runKey, runLength);
                                runKey = key;
                                runLength = 0;
                            }

                            runLength++;
                        }
                    }
                }
            }

            Flush(intersections, runKey, runLength);
            return new Overlaps
            {
                TruthSizes = truthSizes,
                PredictionSizes = predictionSizes,
                TruthBoxes = truthBoxes,
                PredictionBoxes = predictionBoxes,
                Intersections = intersections,
            };
        }

        private static void Flush(Dictionary<ulong, long> intersections, ulong key, long length)
        {
            if (length > 0)
            {
                intersections[key] = intersections.GetValueOrDefault(key) + length;
            }
        }
    }
}
