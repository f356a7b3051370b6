using System.Globalization;

namespace HotDistance.Learning.Training;

/// <summary>
/// The learning rate of each step: constant, then falling linearly to zero over the last
/// <see cref="TrainingSettings.LearningRateDecayFraction"/> of the run. At a constant rate Adam keeps moving
/// object boundaries by a voxel or so from one checkpoint to the next (held-out Dice swung between 0.78 and
/// 0.91 on synthetic crops), so the final model was a random point on that swing; annealing lets it settle.
/// A function of the step alone, so a resumed run uses exactly the rates the uninterrupted one would have.
/// </summary>
public static class LearningRateSchedule
{
    public static double At(int step, TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var decaySteps = settings.LearningRateDecayFraction * settings.Steps;
        if (decaySteps <= 0)
        {
            return settings.LearningRate;
        }

        var decayed = Math.Clamp((step - (settings.Steps - decaySteps)) / decaySteps, 0.0, 1.0);
        return settings.LearningRate * (1.0 - decayed);
    }

    /// <exception cref="ArgumentException">The rate is not positive or the decay share is outside [0, 1].</exception>
    public static void Validate(TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!double.IsFinite(settings.LearningRate) || settings.LearningRate <= 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"learning rate {settings.LearningRate} must be a positive number, e.g. 3e-3"),
                nameof(settings));
        }

        if (!(settings.LearningRateDecayFraction is >= 0 and <= 1))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"learning-rate decay fraction {settings.LearningRateDecayFraction} must be between 0 (constant rate) and 1 (decay over the whole run)"),
                nameof(settings));
        }
    }
}
