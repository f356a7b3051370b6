using HotDistance.Messaging;

namespace HotDistance.SiteAgent.Predictor;

/// <summary>
/// One block per predictor at a time, and one in its prefetch: a block is seconds to minutes of a whole device, and a
/// killed predictor then loses only the block it was doing (the broker hands it to another).
/// </summary>
public sealed class PredictionBlockRequestedConsumerDefinition : OneJobPerRunnerDefinition<PredictionBlockRequestedConsumer>;
