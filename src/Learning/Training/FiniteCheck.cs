using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HotDistance.Learning.Training;

/// <summary>Whether a module's weights or gradients, or an optimiser's state, hold only finite numbers.</summary>
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

    /// <summary>
    /// The optimiser state entries holding a NaN or infinity, as "exp_avg of parameter 3"; empty when all are
    /// finite. Adam's moments are the state the trainer keeps; other optimisers' state is not inspected.
    /// </summary>
    public static IReadOnlyList<string> NonFiniteOptimizerState(OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        using var scope = NewDisposeScope();
        var broken = new List<string>();
        var states = optimizer.state_dict().State;
        for (var i = 0; i < states.Count; i++)
        {
            if (states[i] is not Adam.State adam)
            {
                continue;
            }

            foreach (var (name, moment) in new[] { ("exp_avg", adam.exp_avg), ("exp_avg_sq", adam.exp_avg_sq), ("max_exp_avg_sq", adam.max_exp_avg_sq) })
            {
                if (moment is not null && !isfinite(moment).all().item<bool>())
                {
                    broken.Add($"{name} of parameter {i}");
                }
            }
        }

        return broken;
    }

    /// <summary>Whether every gradient the last backward pass left is finite (a missing gradient counts as finite).</summary>
    public static bool GradientsFinite(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var scope = NewDisposeScope();
        return module.parameters().All(p => p.grad is not { } gradient || isfinite(gradient).all().item<bool>());
    }
}
