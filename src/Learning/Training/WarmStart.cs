using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Model;
using static TorchSharp.torch;

namespace HotDistance.Learning.Training;

/// <summary>
/// Seeds a new model with a trained checkpoint's weights (same variant, backbone and normalisation, which
/// <see cref="VariantTrainer.WarmStartProblem"/> checks). When the class list changed, the heads grow rather than
/// the lineage starting over: the backbone and every kept class's head channels carry over, a new class's channels
/// keep their fresh initialisation, and a dropped class's channels are left behind. A class is matched by name, so a
/// reordered list keeps each class's own channels.
/// </summary>
public static class WarmStart
{
    /// <summary>Loads <paramref name="checkpoint"/> into <paramref name="model"/>, which predicts <paramref name="classes"/>; returns the classes that start fresh.</summary>
    public static IReadOnlyList<string> Load(UNet model, IReadOnlyList<string> classes, string checkpoint, CheckpointMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(metadata);
        var weights = Path.Combine(checkpoint, Checkpoint.ModelFile);
        if (metadata.Classes.SequenceEqual(classes))
        {
            model.load(weights);
            return [];
        }

        using var donor = new UNet(metadata.Architecture, model.Heads with { ClassCount = metadata.Classes.Count });
        donor.load(weights);
        var trained = donor.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var channels = metadata.Classes.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => p.index, StringComparer.Ordinal);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            var source = trained[name];
            if (!IsHead(name))
            {
                parameter.copy_(source);
                continue;
            }

            // Heads hold one output channel per class along their first axis (weight and bias alike).
            for (var target = 0; target < classes.Count; target++)
            {
                if (channels.TryGetValue(classes[target], out var kept))
                {
                    parameter.narrow(0, target, 1).copy_(source.narrow(0, kept, 1));
                }
            }
        }

        return classes.Where(c => !channels.ContainsKey(c)).ToList();
    }

    private static bool IsHead(string parameterName) =>
        parameterName.StartsWith(UNet.OneHotHeadName + ".", StringComparison.Ordinal) || parameterName.StartsWith(UNet.DistanceHeadName + ".", StringComparison.Ordinal);
}
