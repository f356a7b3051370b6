using HotDistance.Contracts;
using MassTransit;

namespace HotDistance.SiteAgent;

/// <summary>A rollback reached the site: go back with the registry now rather than at the next poll.</summary>
public sealed class ChampionRolledBackConsumer(ChampionFollower follower) : IConsumer<ChampionRolledBack>
{
    public Task Consume(ConsumeContext<ChampionRolledBack> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        return follower.FollowChampionAsync(
            $"rolled back from v{message.FromVersion} to v{message.Version}: {message.Reason}",
            (message.Version, message.Sha256),
            context.CancellationToken);
    }
}
