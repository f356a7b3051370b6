using HotDistance.Core;
using HotDistance.Core.Security;
using MassTransit;

namespace HotDistance.Messaging;

/// <summary>
/// The conventions every receive endpoint follows. The host applies <see cref="Apply"/> to every endpoint it
/// configures, from one callback, so a new consumer gets them without asking and cannot escape them; the roles stay
/// transport-agnostic and the RabbitMQ specifics live here.
/// </summary>
public static class PipelineEndpoint
{
    /// <summary>
    /// Broker deliveries of one message before it is dead-lettered to the endpoint's <c>_dead</c> queue. Each
    /// delivery beyond the first is a consumer that died holding the message (a killed runner, a native crash), so
    /// a message that keeps killing its consumer stops after this many instead of taking every runner down in turn.
    /// </summary>
    public const int DeliveryLimit = 5;

    /// <summary>
    /// Two immediate attempts for the blips (a file mid-rename, a lock held a moment), then intervals for the outages
    /// (a shared folder remounting, the registry restarting).
    /// </summary>
    public static IReadOnlyList<TimeSpan> RetrySchedule { get; } =
        [TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];

    /// <summary>
    /// Retry by <see cref="RetrySchedule"/>, except a failure that would only repeat (<see cref="IPermanentFailure"/>:
    /// untrusted input, a diverged training, a damaged checkpoint), which faults at once. What still fails goes to the
    /// endpoint's <c>_error</c> queue with its exception (MassTransit's fault headers); second-level (delayed)
    /// redelivery is not used because Debian's broker lacks the delayed-exchange plugin. On RabbitMQ the queue is a
    /// quorum queue (replicated, durable, counting deliveries) that dead-letters to <c>_dead</c> after
    /// <see cref="DeliveryLimit"/> deliveries. The two stay apart because MassTransit declares <c>_error</c> itself,
    /// with the input queue's arguments. Every message is untrusted (<see cref="UntrustedMessageFilter{T}"/>): one
    /// whose ids are not ids faults before any consumer runs, and every refusal is recorded as a security event.
    /// </summary>
    public static void Apply(IRegistrationContext context, IReceiveEndpointConfigurator endpoint)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(endpoint);
        endpoint.UseMessageRetry(r =>
        {
            r.Intervals([.. RetrySchedule]);
            r.Ignore<Exception>(IsPermanent);
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

    public static bool IsPermanent(Exception exception) => exception is IPermanentFailure;

    /// <summary>How many times a message is tried on one delivery: once, then once per <see cref="RetrySchedule"/> entry.</summary>
    public static int Attempts => RetrySchedule.Count + 1;

    /// <summary>The attempt in progress, counting from 1.</summary>
    public static int AttemptOf(ConsumeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetRetryAttempt() + 1;
    }

    /// <summary>Whether the retry policy runs the message again after <paramref name="exception"/>.</summary>
    public static bool WillRetry(ConsumeContext context, Exception exception) =>
        MayPass(exception) && AttemptOf(context) < Attempts;

    /// <summary>
    /// Whether <paramref name="exception"/> ends the message's retries although a later try could succeed (the
    /// registry still down when the schedule ran out): work a sweeper takes up again, not a failure for good.
    /// </summary>
    public static bool GaveUpOnPassingFailure(ConsumeContext context, Exception exception) =>
        MayPass(exception) && AttemptOf(context) >= Attempts;

    private static bool MayPass(Exception exception) => !IsPermanent(exception) && exception is not OperationCanceledException;

    /// <summary>The queue (and exchange) that receives an endpoint's messages past <see cref="DeliveryLimit"/>.</summary>
    public static string DeadLetterQueueOf(Uri inputAddress)
    {
        ArgumentNullException.ThrowIfNull(inputAddress);
        return inputAddress.AbsolutePath.TrimEnd('/').Split('/')[^1] + "_dead";
    }
}
