using HotDistance.Core.Crops;
using HotDistance.Core.Threading;
using HotDistance.Core.Volumes;

namespace HotDistance.Core.Targets;

/// <summary>
/// Computes the one-hot and distance targets of a crop and the weights that make partial annotations usable.
/// </summary>
/// <remarks>
/// Rules (SPEC "Targets" and "Weights"), with the choices the SPEC leaves open:
/// <list type="bullet">
/// <item>Annotated class: one-hot 1 present / 0 absent; distance t = tanh(d / s) from
/// <see cref="SignedBoundaryDistance"/>. Unknown voxels have weight 0 on both channels, except that the
/// one-hot channel takes a voxel labelled present for a mutually exclusive annotated class as a true negative.</item>
/// <item>Distance mask: weight 0 where min(|t| + epsilon, threshold) &gt;= tanh(e / s), e from
/// <see cref="KnownRegionDistance"/> (nearest unknown voxel or voxel just outside the crop).</item>
/// <item>Class not annotated: weight 0 on both channels, except true negatives from mutually exclusive
/// annotated classes on the one-hot channel. Its distance channel keeps weight 0 (no boundary is known) and
/// target 0.</item>
/// <item>Balancing per channel over the voxels left with weight: positive side one-hot 1 / t &gt; 0, negative
/// side the rest; w = 1 / (2 clip(f, ClipMin, ClipMax)), f the side's share.</item>
/// </list>
/// </remarks>
public sealed class HotDistanceTargetBuilder
{
    public HotDistanceTargetBuilder(HotDistanceTargetSettings? settings = null)
    {
        Settings = settings ?? new HotDistanceTargetSettings();
        Settings.Validate();
    }

    public HotDistanceTargetSettings Settings { get; }

    /// <summary>Targets and weights for <paramref name="classNames"/>, in that order.</summary>
    public HotDistanceTargets Build(Crop crop, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(crop);
        ArgumentNullException.ThrowIfNull(classNames);
        ValidateClassNames(crop, classNames);
        if (!crop.VoxelSize.IsValid)
        {
            throw new ArgumentException($"crop '{crop.Name}' has voxel size {crop.VoxelSize}; every axis must be a positive finite nm value", nameof(crop));
        }

        var shape = crop.Shape;
        foreach (var (name, labels) in crop.Labels)
        {
            if (labels.Mask.Shape != shape)
            {
                throw new ArgumentException(
                    $"crop '{crop.Name}': class '{name}' has labels of shape {labels.Mask.Shape} but the raw data is {shape}; the label array must cover the crop's voxel grid",
                    nameof(crop));
            }
        }

        var size = (int)shape.Count;
        var total = checked(classNames.Count * size);
        var oneHot = new float[total];
        var oneHotWeight = new float[total];
        var distance = new float[total];
        var distanceWeight = new float[total];
        var sources = new ClassTargetSource[classNames.Count];
        for (var c = 0; c < classNames.Count; c++)
        {
            var channel = new ChannelSlices(
                oneHot.AsMemory(c * size, size),
                oneHotWeight.AsMemory(c * size, size),
                distance.AsMemory(c * size, size),
                distanceWeight.AsMemory(c * size, size));
            var negatives = ExclusionNegatives(crop, classNames[c]);
            sources[c] = crop.Labels.TryGetValue(classNames[c], out var labels)
                ? FillAnnotated(crop, labels.Mask, negatives, channel)
                : FillNotAnnotated(negatives, channel);
        }

        return new HotDistanceTargets
        {
            ClassNames = classNames.ToArray(),
            Sources = sources,
            Shape = shape,
            VoxelSize = crop.VoxelSize,
            OneHot = oneHot,
            OneHotWeight = oneHotWeight,
            Distance = distance,
            DistanceWeight = distanceWeight,
        };
    }

    private static void ValidateClassNames(Crop crop, IReadOnlyList<string> classNames)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in classNames)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException($"crop '{crop.Name}': the class list holds an empty class name", nameof(classNames));
            }

            if (!seen.Add(name))
            {
                throw new ArgumentException($"crop '{crop.Name}': class '{name}' appears twice in the class list; list each class once", nameof(classNames));
            }
        }
    }

    private ClassTargetSource FillAnnotated(Crop crop, Volume<byte> labels, bool[]? exclusionNegatives, ChannelSlices channel)
    {
        var dop = Settings.MaxDegreeOfParallelism;
        var signed = SignedBoundaryDistance.Compute(labels, crop.VoxelSize, dop).Data;
        var known = KnownRegionDistance.Compute(labels, crop.VoxelSize, dop).Data;
        var data = labels.Data;
        var scale = Settings.ScaleNm;
        var epsilon = Settings.Epsilon;
        var threshold = Settings.Threshold;
        var counts = new SideCounts();

        // Beyond this distance to unknown territory the bound exceeds the threshold, so nothing is masked and the
        // tanh of the distance need not be taken (the margin keeps rounding from deciding a voxel differently).
        var alwaysKnown = scale * Math.Atanh(threshold) * (1 + 1e-6);

        // First pass: targets, and weight 1 for every voxel that takes part in the loss; the sides are counted.
        ParallelRanges.For(data.Length, dop, (start, end) =>
        {
            var oneHot = channel.OneHot.Span;
            var oneHotWeight = channel.OneHotWeight.Span;
            var distance = channel.Distance.Span;
            var distanceWeight = channel.DistanceWeight.Span;
            var local = new SideCounts();
            for (var i = start; i < end; i++)
            {
                var label = data[i];
                if (label == LabelValues.Unknown)
                {
                    if (exclusionNegatives is not null && exclusionNegatives[i])
                    {
                        oneHotWeight[i] = 1f;
                        local.OneHotNegative++;
                    }

                    continue;
                }

                var present = label != LabelValues.Absent;
                oneHot[i] = present ? 1f : 0f;
                oneHotWeight[i] = 1f;
                if (present)
                {
                    local.OneHotPositive++;
                }
                else
                {
                    local.OneHotNegative++;
                }

                var t = Math.Tanh(signed[i] / scale);
                var stored = (float)t;
                distance[i] = stored;
                if (known[i] > alwaysKnown || Math.Min(Math.Abs(t) + epsilon, threshold) < Math.Tanh(known[i] / scale))
                {
                    distanceWeight[i] = 1f;

                    // Counted by the stored value, which is what Balance splits the sides by.
                    if (stored > 0f)
                    {
                        local.DistancePositive++;
                    }
                    else
                    {
                        local.DistanceNegative++;
                    }
                }
            }

            counts.Add(local);
        });

        Balance(channel.OneHot, channel.OneHotWeight, counts.OneHotPositive, counts.OneHotNegative, 0.5f);
        Balance(channel.Distance, channel.DistanceWeight, counts.DistancePositive, counts.DistanceNegative, 0f);
        return ClassTargetSource.Annotated;
    }

    private ClassTargetSource FillNotAnnotated(bool[]? exclusionNegatives, ChannelSlices channel)
    {
        if (exclusionNegatives is null)
        {
            return ClassTargetSource.NotAnnotated;
        }

        var weight = channel.OneHotWeight.Span;
        long negatives = 0;
        for (var i = 0; i < exclusionNegatives.Length; i++)
        {
            if (exclusionNegatives[i])
            {
                weight[i] = 1f;
                negatives++;
            }
        }

        if (negatives == 0)
        {
            return ClassTargetSource.NotAnnotated;
        }

        Balance(channel.OneHot, channel.OneHotWeight, 0, negatives, 0.5f);
        return ClassTargetSource.ExclusionNegatives;
    }

    /// <summary>
    /// Voxels labelled present for an annotated class that excludes <paramref name="className"/>; null when no
    /// such class is annotated in the crop.
    /// </summary>
    private bool[]? ExclusionNegatives(Crop crop, string className)
    {
        bool[]? negatives = null;
        foreach (var other in Settings.MutualExclusions.ExclusiveWith(className))
        {
            if (!crop.Labels.TryGetValue(other, out var labels))
            {
                continue;
            }

            negatives ??= new bool[labels.Mask.Data.Length];
            var data = labels.Mask.Data;
            for (var i = 0; i < data.Length; i++)
            {
                negatives[i] |= data[i] is not LabelValues.Absent and not LabelValues.Unknown;
            }
        }

        return negatives;
    }

    /// <summary>Turns the 0/1 participation weights into side weights; target &gt; split is the positive side.</summary>
    private void Balance(Memory<float> targets, Memory<float> weights, long positive, long negative, float split)
    {
        var (positiveWeight, negativeWeight) = ClassBalance.SideWeights(positive, negative, Settings.ClipMin, Settings.ClipMax);
        ParallelRanges.For(weights.Length, Settings.MaxDegreeOfParallelism, (start, end) =>
        {
            var target = targets.Span;
            var weight = weights.Span;
            for (var i = start; i < end; i++)
            {
                if (weight[i] != 0f)
                {
                    weight[i] = target[i] > split ? positiveWeight : negativeWeight;
                }
            }
        });
    }

    private readonly record struct ChannelSlices(Memory<float> OneHot, Memory<float> OneHotWeight, Memory<float> Distance, Memory<float> DistanceWeight);

    private sealed class SideCounts
    {
        private readonly Lock _gate = new();

        public long OneHotPositive { get; set; }

        public long OneHotNegative { get; set; }

        public long DistancePositive { get; set; }

        public long DistanceNegative { get; set; }

        public void Add(SideCounts other)
        {
            lock (_gate)
            {
                OneHotPositive += other.OneHotPositive;
                OneHotNegative += other.OneHotNegative;
                DistancePositive += other.DistancePositive;
                DistanceNegative += other.DistanceNegative;
            }
        }
    }
}
