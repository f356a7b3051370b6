namespace HotDistance.Trainer;

/// <summary>One training job per runner at a time.</summary>
public sealed class TrainingRequestedConsumerDefinition : TrainingJobDefinition<TrainingRequestedConsumer>;
