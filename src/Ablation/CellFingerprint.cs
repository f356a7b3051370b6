using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HotDistance.Ablation;

/// <summary>
/// The settings a cell's training and scoring depend on, hashed: the same cell key under other settings (more steps,
/// other crops, another thinning seed) is another experiment, whose checkpoints and result must not be reused.
/// </summary>
public static class CellFingerprint
{
    public static string Of(AblationCell cell, AblationSettings settings, AblationInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(inputs);
        var text = string.Join('\n', [
            cell.Key,
            string.Create(CultureInfo.InvariantCulture, $"{settings.Training.Steps} {settings.Training.PatchSize} {settings.Training.BatchSize} {settings.Training.LearningRate:R} {settings.ThinningSeed} {settings.TuneThresholds}"),
            string.Join(',', inputs.Classes),
            string.Join(',', inputs.Training.Select(c => c.ContentHash)),
            string.Join(',', inputs.HeldOut.Select(c => c.Name)),
            inputs.Architecture.Planar ? "2d" : "3d",
            inputs.Intensity.ToString(),
        ]);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
