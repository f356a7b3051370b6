using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HotDistance.Learning.Model;

/// <summary>Two 3x3x3 (or 1x3x3 when planar) convolutions with ReLU, keeping the spatial size.</summary>
public sealed class ConvBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv3d first;
    private readonly Conv3d second;

    public ConvBlock(string name, long inChannels, long outChannels, bool planar)
        : base(name)
    {
        var kernel = planar ? (1L, 3L, 3L) : (3L, 3L, 3L);
        var padding = planar ? (0L, 1L, 1L) : (1L, 1L, 1L);
        first = nn.Conv3d(inChannels, outChannels, kernel, padding: padding);
        second = nn.Conv3d(outChannels, outChannels, kernel, padding: padding);
        RegisterComponents();
    }

    /// <remarks>
    /// ReLU in place, and the hidden activation disposed once used (see <see cref="UNet.forward"/>): a convolution's
    /// backward pass needs its input, not its output, so autograd is unaffected, and inference holds one activation
    /// of the block's size at a time instead of four.
    /// </remarks>
    public override Tensor forward(Tensor input)
    {
        using var hidden = first.forward(input).relu_();
        return second.forward(hidden).relu_();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            first.Dispose();
            second.Dispose();
        }

        base.Dispose(disposing);
    }
}
