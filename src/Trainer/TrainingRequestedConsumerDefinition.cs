using HotDistance.Messaging;

namespace HotDistance.Trainer;

/// <summary>One training job per runner at a time.</summary>
public sealed class TrainingRequestedConsumerDefinition : OneJobPerRunnerDefinition<TrainingRequestedConsumer>;
