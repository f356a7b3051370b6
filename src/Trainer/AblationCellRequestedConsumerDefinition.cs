namespace HotDistance.Trainer;

/// <summary>One ablation cell per runner at a time: a cell is a training job like any other.</summary>
public sealed class AblationCellRequestedConsumerDefinition : TrainingJobDefinition<AblationCellRequestedConsumer>;
