using HotDistance.Core.Security;
using MassTransit;

namespace HotDistance.Messaging;

/// <summary>
/// The conventions every role's receive endpoint follows, applied from its <c>ConsumerDefinition</c>, so the
/// roles stay transport-agnostic and the RabbitMQ specifics live here.
/// </summary>
public static class PipelineEndpoint
{
    /// <summary>Attempts made at once, before the consumer's own intervals.</summary>
    public const int ImmediateRetries = 2;

    /// <summary>
    /// Broker deliveries of one message before it is dead-lettered to the endpoint's <c>_dead</c> queue. Each
    /// delivery beyond the first is a consumer that died holding the message (a killed runner, a native crash), so
    /// a message that keeps killing its consumer stops after this many instead of taking every runner down in turn.
    /// </summary>
    public const int DeliveryLimit = 5;

    /// <summary>
    /// Retry: two immediate attempts for the blips (a file mid-rename, a lock held a moment), then
    /// <paramref name="retryIntervals"/> for the outages (a shared folder remounting, the registry restarting).
    /// What still fails goes to the endpoint's <c>_error</c> queue with its exception (MassTransit's fault
    /// headers); second-level (delayed) redelivery is not used because Debian's broker lacks the delayed-exchange
    /// plugin. On RabbitMQ the queue is a quorum queue (replicated, durable, counting deliveries) that
    /// dead-letters to <c>_dead</c> after <see cref="DeliveryLimit"/> deliveries. The two stay apart because
    /// MassTransit declares <c>_error</c> itself, with the input queue's arguments. Every message is untrusted
    /// (<see cref="UntrustedMessageFilter{T}"/>): one whose ids are not ids faults before any consumer runs, and a
    /// refusal (<see cref="UntrustedInputException"/>) is never retried and is recorded as a security event.
    /// </summary>
    public static void ApplyConventions(IReceiveEndpointConfigurator endpoint, IRegistrationContext context, params TimeSpan[] retryIntervals) =>
        ApplyConventions(endpoint, context, static _ => false, retryIntervals);

    /// <summary>
    /// As <see cref="ApplyConventions(IReceiveEndpointConfigurator, IRegistrationContext, TimeSpan[])"/>, but an
    /// exception for which <paramref name="isPermanent"/> is true faults at once: retrying it would fail the same way.
    /// </summary>
    public static void ApplyConventions(IReceiveEndpointConfigurator endpoint, IRegistrationContext context, Func<Exception, bool> isPermanent, params TimeSpan[] retryIntervals)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(isPermanent);
        ArgumentNullException.ThrowIfNull(retryIntervals);
        var schedule = Enumerable.Repeat(TimeSpan.Zero, ImmediateRetries).Concat(retryIntervals).ToArray();
        endpoint.UseMessageRetry(r =>
        {
            r.Intervals(schedule);
            r.Ignore<UntrustedInputException>();
            r.Ignore<Exception>(e => isPermanent(e));
        });
        endpoint.UseConsumeFilter(typeof(UntrustedMessageFilter<>), context);

        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SetQuorumQueue();
            rabbit.SetQueueArgument("x-delivery-limit", DeliveryLimit);
            var deadLetters = DeadLetterQueueOf(endpoint.InputAddress);
            rabbit.BindDeadLetterQueue(deadLetters, deadLetters);
        }
    }

    /// <summary>The queue (and exchange) that receives an endpoint's messages past <see cref="DeliveryLimit"/>.</summary>
    public static string DeadLetterQueueOf(Uri inputAddress)
    {
        ArgumentNullException.ThrowIfNull(inputAddress);
        return inputAddress.AbsolutePath.TrimEnd('/').Split('/')[^1] + "_dead";
    }
}
