using MassTransit;
using MassTransit.Configuration;

namespace HotDistance.Trainer;

/// <summary>
/// The runner's one queue for training jobs of every kind (a generation's variants, ablation cells), named as the
/// training queue always was. One queue with one message in flight is what keeps a runner to one job at a time: with a
/// queue per kind, each with its own prefetch of one, a runner trained a generation's variant and an ablation cell
/// at once (two models on one GPU).
/// </summary>
internal sealed class TrainingJobsEndpoint<TConsumer>() : DefaultEndpointDefinition(isTemporary: false), IEndpointDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    public override int? PrefetchCount => 1;

    public override int? ConcurrentMessageLimit => 1;

    public override string GetEndpointName(IEndpointNameFormatter formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        return formatter.Consumer<TrainingRequestedConsumer>();
    }
}
