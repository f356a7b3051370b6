namespace HotDistance.Evaluator.Nightly;

/// <summary>Where the evaluator's events go (the bus in a host; a list in tests).</summary>
public interface IEvaluatorEvents
{
    Task PublishAsync<T>(T message, CancellationToken cancellationToken)
        where T : class;
}
