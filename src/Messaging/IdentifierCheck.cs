using System.Reflection;
using HotDistance.Contracts;
using MassTransit;

namespace HotDistance.Messaging;

/// <summary>
/// Checks every id a consumed message carries before any consumer sees it: the properties named <c>...Id</c> or
/// <c>Variant</c> (strings) and <c>...Ids</c> or <c>Variants</c> (lists of strings), by convention, so a new
/// contract is covered without being listed here. A message with an id that breaks <see cref="Identifiers"/>'
/// rule faults with <see cref="InvalidIdentifierException"/> naming the message, the field and the value.
/// </summary>
public sealed class IdentifierCheck<T> : IFilter<ConsumeContext<T>>
    where T : class
{
    private static readonly (string Name, Func<T, IEnumerable<string?>> Values)[] Fields = Discover();

    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        foreach (var (name, values) in Fields)
        {
            foreach (var value in values(context.Message))
            {
                if (value is not null && !Identifiers.IsValid(value))
                {
                    var refused = new InvalidIdentifierException(
                        $"{typeof(T).Name}.{name} '{Shown(value)}' is not an id ({Identifiers.Rule}); the message is refused and not retried");

                    // Only a consumer's own failure publishes Fault<T>; the refusal must reach the same observers.
                    await context.NotifyFaulted(context, TimeSpan.Zero, nameof(IdentifierCheck<T>), refused).ConfigureAwait(false);
                    throw refused;
                }
            }
        }

        await next.Send(context).ConfigureAwait(false);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("identifier-check");

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
