using HotDistance.Contracts;
using MassTransit;

namespace HotDistance.SiteAgent;

/// <summary>A promotion reached the site: follow the champion now rather than at the next poll.</summary>
public sealed class ModelPromotedConsumer(ChampionFollower follower) : IConsumer<ModelPromoted>
{
    public Task Consume(ConsumeContext<ModelPromoted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        return follower.FollowChampionAsync(
            $"promoted v{message.Version} ({message.Variant}, generation {message.GenerationId})",
            (message.Version, message.Sha256),
            context.CancellationToken);
    }
}
