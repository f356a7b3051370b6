using HotDistance.Contracts;
using MassTransit;

namespace HotDistance.SiteAgent;

/// <summary>
/// A promotion or a rollback reached the site: follow the champion now rather than at the next poll, then report
/// what the site runs. One consumer for both, so the site's one-at-a-time limit covers them together and they are
/// handled in order.
/// </summary>
public sealed class ChampionEventsConsumer(ChampionFollower follower, SiteReporter reporter) : IConsumer<ModelPromoted>, IConsumer<ChampionRolledBack>
{
    public Task Consume(ConsumeContext<ModelPromoted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        return FollowAsync(
            $"promoted v{message.Version} ({message.Variant}, generation {message.GenerationId})",
            (message.Version, message.Sha256),
            context.CancellationToken);
    }

    public Task Consume(ConsumeContext<ChampionRolledBack> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        return FollowAsync(
            $"rolled back from v{message.FromVersion} to v{message.Version}: {message.Reason}",
            (message.Version, message.Sha256),
            context.CancellationToken);
    }

    private async Task FollowAsync(string trigger, (int Version, string Sha256) announced, CancellationToken cancellationToken)
    {
        await follower.FollowChampionAsync(trigger, announced, cancellationToken).ConfigureAwait(false);
        await reporter.ReportAsync(cancellationToken).ConfigureAwait(false);
    }
}
