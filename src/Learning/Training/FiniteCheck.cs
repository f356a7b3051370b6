using TorchSharp;
using static TorchSharp.torch;

namespace HotDistance.Learning.Training;

/// <summary>Whether a module's weights or gradients hold only finite numbers.</summary>
public static class FiniteCheck
{
    /// <summary>The names of the parameters with a NaN or infinite weight; empty when all are finite.</summary>
    public static IReadOnlyList<string> NonFiniteWeights(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var scope = NewDisposeScope();
        return module.named_parameters()
            .Where(p => !isfinite(p.parameter).all().item<bool>())
            .Select(p => p.name)
            .ToList();
    }

    /// <summary>Whether every gradient the last backward pass left is finite (a missing gradient counts as finite).</summary>
    public static bool GradientsFinite(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var scope = NewDisposeScope();
        return module.parameters().All(p => p.grad is not { } gradient || isfinite(gradient).all().item<bool>());
    }
}
