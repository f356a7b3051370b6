using System.Reflection;
using HotDistance.Contracts;
using HotDistance.Core.Security;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace HotDistance.Messaging;

/// <summary>
/// Treats every consumed message as untrusted input. Before any consumer sees it, its ids are checked: the
/// properties named <c>...Id</c> or <c>Variant</c> (strings) and <c>...Ids</c> or <c>Variants</c> (lists of strings),
/// by convention, so a new contract is covered without being listed here; one that breaks <see cref="Identifiers"/>'
/// rule faults with <see cref="InvalidIdentifierException"/> naming the message, the field and the value. Every
/// refusal, this filter's or a consumer's (<see cref="UntrustedInputException"/>), is a security event: logged as an
/// error and published as <see cref="MessageRefused"/>, which the catalog records.
/// </summary>
public sealed class UntrustedMessageFilter<T>(ILogger<UntrustedMessageFilter<T>> logger) : IFilter<ConsumeContext<T>>
    where T : class
{
    private static readonly (string Name, Func<T, IEnumerable<string?>> Values)[] Fields = Discover();

    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (InvalidIdentifier(context.Message) is { } invalid)
        {
            await RecordAsync(context, invalid).ConfigureAwait(false);

            // Only a consumer's own failure publishes Fault<T>; the refusal must reach the same observers.
            await context.NotifyFaulted(context, TimeSpan.Zero, nameof(UntrustedMessageFilter<T>), invalid).ConfigureAwait(false);
            throw invalid;
        }

        try
        {
            await next.Send(context).ConfigureAwait(false);
        }
        catch (UntrustedInputException refused)
        {
            await RecordAsync(context, refused).ConfigureAwait(false);
            throw;
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("untrusted-message");

    private static InvalidIdentifierException? InvalidIdentifier(T message)
    {
        foreach (var (name, values) in Fields)
        {
            foreach (var value in values(message))
            {
                if (value is not null && !Identifiers.IsValid(value))
                {
                    return new InvalidIdentifierException(
                        $"{name} '{Shown(value)}'",
                        $"{typeof(T).Name}.{name} '{Shown(value)}' is not an id ({Identifiers.Rule}); the message is refused and not retried");
                }
            }
        }

        return null;
    }

    /// <summary>Best effort: the refusal stands (and faults the message) even when the event cannot be published.</summary>
    private async Task RecordAsync(ConsumeContext<T> context, UntrustedInputException refused)
    {
        var consumer = context.ReceiveContext.InputAddress.AbsolutePath.TrimEnd('/').Split('/')[^1];
        logger.LogError("Security: {MessageType} refused by {Consumer}: {Reason}", typeof(T).Name, consumer, refused.Message);
        try
        {
            await context.Publish(
                new MessageRefused(
                    context.MessageId?.ToString() ?? Guid.NewGuid().ToString(),
                    typeof(T).Name,
                    consumer,
                    Shown(refused.Subject),
                    refused.Message,
                    DateTimeOffset.UtcNow),
                context.CancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed publish must not turn a refusal into a retried failure.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            logger.LogWarning("Security: the refusal of {MessageType} was not published: {Reason}", typeof(T).Name, exception.Message);
        }
    }

    private static (string, Func<T, IEnumerable<string?>>)[] Discover()
    {
        var fields = new List<(string, Func<T, IEnumerable<string?>>)>();
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.PropertyType == typeof(string) && (property.Name.EndsWith("Id", StringComparison.Ordinal) || property.Name == "Variant"))
            {
                fields.Add((property.Name, message => [(string?)property.GetValue(message)]));
            }
            else if (property.PropertyType != typeof(string)
                && typeof(IEnumerable<string>).IsAssignableFrom(property.PropertyType)
                && (property.Name.EndsWith("Ids", StringComparison.Ordinal) || property.Name == "Variants"))
            {
                fields.Add((property.Name, message => (IEnumerable<string?>?)property.GetValue(message) ?? []));
            }
        }

        return [.. fields];
    }

    /// <summary>The value for a log line: bounded, with control characters shown as '?'.</summary>
    private static string Shown(string value)
    {
        var head = value.Length > 80 ? value[..80] + "..." : value;
        return new string(head.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }
}
