using HotDistance.Core;

namespace HotDistance.Learning.Training;

/// <summary>
/// Training produced more non-finite steps than <see cref="TrainingSettings.MaxNonFiniteSteps"/> allows. Retrying
/// the same job from the same checkpoint would diverge the same way, so this is a failure, not an outage.
/// </summary>
public sealed class TrainingDivergedException : Exception, IPermanentFailure
{
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    public TrainingDivergedException()
    {
    }

    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
