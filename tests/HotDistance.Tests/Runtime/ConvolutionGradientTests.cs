using HotDistance.Learning.Model;
using HotDistance.Learning.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HotDistance.Tests.Runtime;

/// <summary>
/// Every convolution of our networks must give the output and input gradient that the same convolution computes in double
/// precision (which libtorch runs without oneDNN). On CPUs with an empty cache-topology leaf, oneDNN's AVX-512
/// kernels added stale memory into exactly this gradient (see <see cref="OneDnnIsaCap"/>); this test fails
/// there when the cap is lifted with HD_ONEDNN_UNCAPPED=1.
/// </summary>
public class ConvolutionGradientTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<bool> Networks => new() { false, true };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Each_convolution_output_and_input_gradient_match_the_double_precision_ones(bool planar)
    {
        TorchRuntime.EnsureLoaded();
        var architecture = planar ? ModelArchitecture.SmallPlanar : ModelArchitecture.Small;
        var heads = new HeadLayout(2, OneHot: true, Distance: true);
        using var single = new UNet(architecture, heads, seed: 7);
        using var reference = new UNet(architecture, heads, seed: 7);
        reference.to(ScalarType.Float64);

        var pairs = single.named_modules().Zip(reference.named_modules())
            .Where(p => p.First.module is Conv3d or ConvTranspose3d)
            .Select(p => (Name: p.First.name, Layer: (nn.Module<Tensor, Tensor>)p.First.module, Reference: (nn.Module<Tensor, Tensor>)p.Second.module))
            .ToList();
        Assert.True(pairs.Count >= 10, $"expected every convolution of the network, found {pairs.Count}");

        // Several rounds: the stale memory depends on what was allocated before, so one round can pass by luck.
        for (var round = 0; round < 4; round++)
        {
            foreach (var (name, layer, layer64) in pairs)
            {
                using var scope = NewDisposeScope();
                var weight = layer.named_parameters().Single(p => p.name == "weight").parameter;
                var inChannels = layer is ConvTranspose3d ? weight.shape[0] : weight.shape[1];
                var generator = new Generator((ulong)(round * 1000 + name.Length));
                var input = randn([2, inChannels, 6, 12, 12], generator: generator);
                var (gradient, output) = InputGradient(layer, input);
                var outputGradient = randn(output.shape, generator: generator);
                var (expected, expectedOutput) = InputGradient(layer64, input.to(ScalarType.Float64), outputGradient.to(ScalarType.Float64));
                (gradient, _) = InputGradient(layer, input, outputGradient);

                // Inference runs the same kernels forward: a site's segmentation must be as right as training.
                var forwardError = (output.to(ScalarType.Float64) - expectedOutput).abs().max().item<double>();
                Assert.True(forwardError <= Tolerance * expectedOutput.abs().max().item<double>(), $"round {round}, {name}: forward output off by {forwardError:G3}");
                var error = (gradient.to(ScalarType.Float64) - expected).abs().max().item<double>();
                var scale = expected.abs().max().item<double>();
                Assert.True(
                    error <= Tolerance * scale,
                    $"round {round}, {name} ({weight.shape[0]}x{weight.shape[1]} weights): input gradient off by {error:G3} (largest {scale:G3}); oneDNN ISA: {TorchRuntime.Describe().OneDnnIsa}");
            }
        }
    }

    [Fact]
    public void The_cap_is_applied_exactly_where_the_cpu_needs_it()
    {
        var setting = TorchRuntime.Describe().OneDnnIsa;
        var userChoice = Environment.GetEnvironmentVariable(OneDnnIsaCap.IsaVariable);
        if (userChoice is not null)
        {
            Assert.Equal(userChoice, setting.MaxIsa);
        }
        else if (OneDnnIsaCap.CpuProblem() is not null && Environment.GetEnvironmentVariable(OneDnnIsaCap.DisableVariable) != "1")
        {
            Assert.Equal(OneDnnIsaCap.CappedIsa, setting.MaxIsa);
            Assert.Contains("0x8000001D", setting.Reason, StringComparison.Ordinal);
        }
        else
        {
            Assert.Null(setting.MaxIsa);
        }
    }

    private static (Tensor Gradient, Tensor Output) InputGradient(nn.Module<Tensor, Tensor> layer, Tensor input, Tensor? outputGradient = null)
    {
        var leaf = input.detach().requires_grad_(true);
        var output = layer.forward(leaf);
        (output * (outputGradient ?? ones_like(output))).sum().backward();
        return (leaf.grad!.detach().clone(), output.detach());
    }
}
