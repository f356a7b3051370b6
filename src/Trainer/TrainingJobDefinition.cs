using HotDistance.Messaging;

namespace HotDistance.Trainer;

/// <summary>A training runner's job of any kind: one at a time, from the runner's one training queue (<see cref="TrainingJobsEndpoint{TConsumer}"/>).</summary>
public abstract class TrainingJobDefinition<TConsumer> : OneJobPerRunnerDefinition<TConsumer>
    where TConsumer : class, MassTransit.IConsumer
{
    protected TrainingJobDefinition()
    {
        EndpointDefinition = new TrainingJobsEndpoint<TConsumer>();
    }
}
