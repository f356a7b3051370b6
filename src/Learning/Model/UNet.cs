using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HotDistance.Learning.Model;

/// <summary>
/// A U-Net backbone shared by a one-hot head and a distance head. The three variants build this same class
/// and differ only in <see cref="HeadLayout"/>. Input (N, 1, Z, Y, X) with sizes divisible by
/// <see cref="ModelArchitecture.TotalDownsample"/>; output (N, channels, Z, Y, X), one-hot logits first.
/// </summary>
public sealed class UNet : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<ConvBlock> encoders = new();
    private readonly ModuleList<MaxPool3d> downsamplers = new();
    private readonly ModuleList<ConvTranspose3d> upsamplers = new();
    private readonly ModuleList<ConvBlock> decoders = new();
    private readonly Conv3d? oneHotHead;
    private readonly Conv3d? distanceHead;

    private static readonly Lock Initialisation = new();

    /// <summary>The heads' names in the state dictionary (their fields' names), which a warm start that grows heads needs.</summary>
    public const string OneHotHeadName = nameof(oneHotHead);

    public const string DistanceHeadName = nameof(distanceHead);

    /// <param name="seed">Seeds libtorch's generator for the initial weights, making them reproducible.</param>
    public UNet(ModelArchitecture architecture, HeadLayout heads, long? seed = null)
        : base(nameof(UNet))
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(heads);
        Architecture = architecture;
        Heads = heads;

        // libtorch draws initial weights from one process-wide generator, and the trainer builds several networks
        // at once (one per variant) while the evaluator loads others: seeding and drawing must not interleave.
        lock (Initialisation)
        {
            if (seed is { } value)
            {
                random.manual_seed(value);
            }

            long inChannels = 1;
            for (var level = 0; level < architecture.Levels; level++)
            {
                var features = architecture.FeaturesAt(level);
                encoders.Add(new ConvBlock($"encoder{level}", inChannels, features, architecture.Planar));
                inChannels = features;
            }

            for (var level = 0; level < architecture.DownsampleFactors.Count; level++)
            {
                var f = architecture.DownsampleFactors[level];
                var factor = ((long)f[0], (long)f[1], (long)f[2]);
                downsamplers.Add(nn.MaxPool3d(factor, stride: factor));
                upsamplers.Add(nn.ConvTranspose3d(architecture.FeaturesAt(level + 1), architecture.FeaturesAt(level), factor, stride: factor));
                decoders.Add(new ConvBlock($"decoder{level}", 2L * architecture.FeaturesAt(level), architecture.FeaturesAt(level), architecture.Planar));
            }

            if (heads.OneHot)
            {
                oneHotHead = nn.Conv3d(architecture.BaseFeatures, heads.ClassCount, 1);
            }

            if (heads.Distance)
            {
                distanceHead = nn.Conv3d(architecture.BaseFeatures, heads.ClassCount, 1);
            }
        }

        RegisterComponents();
    }

    private const double RawMean = 0.5;
    private const double RawStd = 0.25;

    public ModelArchitecture Architecture { get; }

    public HeadLayout Heads { get; }

    public override Tensor forward(Tensor input)
    {
        // Every intermediate is disposed once consumed rather than left to the scope's end. Autograd holds what the
        // backward pass needs by its own references, so training is unchanged; without gradients (inference) the
        // live set is then the skips and the current level's tensors instead of every activation of the pass: for
        // the small network on two 144^3 windows (hd predict's tiles), 1.2 GB above the input instead of 3.0.
        using var scope = NewDisposeScope();
        var skips = new List<Tensor>();

        // Raw arrives scaled to [0, 1]; centring it keeps the first layer's activations in a useful range. The
        // scalars are held here, not made by implicit conversion: a temporary Scalar is only referenced by its native
        // handle during the call, so a collection in the middle (frequent in blockwise prediction, which allocates
        // hundreds of MB per block) could finalize it while libtorch reads it ("Unknown scalar type" after hundreds
        // of blocks).
        using var mean = RawMean.ToScalar();
        using var std = RawStd.ToScalar();
        Tensor x;
        using (var centred = input.sub(mean))
        {
            x = centred.div(std);
        }

        for (var level = 0; level < encoders.Count; level++)
        {
            x = Consume(x, encoders[level].forward);
            if (level < downsamplers.Count)
            {
                skips.Add(x);
                x = downsamplers[level].forward(x);
            }
        }

        for (var level = decoders.Count - 1; level >= 0; level--)
        {
            Tensor joined;
            using (var up = Consume(x, upsamplers[level].forward))
            using (var skip = skips[level])
            {
                joined = cat([skip, up], 1);
            }

            x = Consume(joined, decoders[level].forward);
        }

        var outputs = new List<Tensor>(2);
        if (oneHotHead is not null)
        {
            outputs.Add(oneHotHead.forward(x));
        }

        if (distanceHead is not null)
        {
            outputs.Add(distanceHead.forward(x));
        }

        x.Dispose();
        var result = outputs.Count == 1 ? outputs[0] : cat(outputs, 1);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Applies <paramref name="step"/> to <paramref name="input"/> and disposes the input.</summary>
    private static Tensor Consume(Tensor input, Func<Tensor, Tensor> step)
    {
        using (input)
        {
            return step(input);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            encoders.Dispose();
            downsamplers.Dispose();
            upsamplers.Dispose();
            decoders.Dispose();
            oneHotHead?.Dispose();
            distanceHead?.Dispose();
        }

        base.Dispose(disposing);
    }
}
