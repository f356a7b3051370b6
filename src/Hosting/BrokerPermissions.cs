using System.Text.RegularExpressions;
using HotDistance.Contracts;
using HotDistance.SiteAgent;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.RabbitMqTransport;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Hosting;

/// <summary>RabbitMQ's three permissions of one user on a vhost, as regular expressions over queue and exchange names.</summary>
public sealed record BrokerAccess(string Configure, string Write, string Read)
{
    /// <summary>Everything on the vhost: for the administrator.</summary>
    public static BrokerAccess All { get; } = new(".*", ".*", ".*");
}

/// <summary>
/// The least RabbitMQ permissions a host needs to run some roles, worked out from the host itself: the queues of
/// the consumers it registers (with their <c>_error</c>, <c>_skipped</c> and <c>_dead</c> queues), the exchanges of
/// the messages they consume, and the exchanges of what the roles publish (<see cref="PipelineRoles.Publishes"/>,
/// plus <see cref="MessageRefused"/> and the faults of what they consume, which MassTransit also publishes to the
/// exchange of <see cref="Fault"/>). MassTransit's topology needs:
/// <list type="bullet">
/// <item>configure: its own queues and the exchanges of every message it publishes or consumes (it declares them);</item>
/// <item>write: its own queues and exchanges (bindings into them, faults to <c>_error</c>) and the exchanges of what
/// it publishes, and no other: a role cannot publish another role's events;</item>
/// <item>read: its own queues and the exchanges of what it consumes (the source of each binding).</item>
/// </list>
/// A site without a site id names its queue after its machine, unknown here, so a site user gets every
/// <c>site-*</c> queue; give sites ids to narrow that.
/// </summary>
public static class BrokerPermissions
{
    private static readonly string[] EndpointQueueSuffixes = ["", "_error", "_skipped", "_dead"];

    public static BrokerAccess For(HostSettings settings, IReadOnlyList<string> roles)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(roles);

        // The same registrations the host makes, on the in-memory transport and never started.
        using var host = PipelineHost.Build(settings with { RabbitMqUri = null }, roles);
        var context = host.Services.GetRequiredService<IBusRegistrationContext>();
        var formatter = new KebabCaseEndpointNameFormatter(settings.EndpointPrefix, includeNamespace: false);
        var registrations = host.Services.GetServices<IConsumerRegistration>().ToList();
        var siteQueue = roles.Contains(SiteRole.Name, StringComparer.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(settings.Site.SiteId)
            ? SiteEndpoint.Name(settings.Site)
            : null;
        var endpoints = registrations
            .Select(r => r.GetDefinition(context)?.GetEndpointName(formatter) ?? throw new InvalidOperationException($"{r.Type.Name} has no endpoint definition"))
            .Select(name => name == siteQueue ? "site-[^:]+" : Regex.Escape(name))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var consumed = registrations.SelectMany(r => ConsumedMessages(r.Type)).Distinct().ToList();
        var faults = consumed.Select(t => typeof(Fault<>).MakeGenericType(t)).ToList();
        var published = roles.SelectMany(PipelineRoles.Publishes).Append(typeof(MessageRefused)).Concat(faults).Distinct().ToList();

        // A fault is also published to the exchange of its interface, Fault, bound from its own exchange.
        Type[] faultBase = faults.Count > 0 ? [typeof(Fault)] : [];
        var own = endpoints.SelectMany(e => EndpointQueueSuffixes.Select(suffix => e + Regex.Escape(suffix))).ToList();
        return new BrokerAccess(
            Pattern(own.Concat(Exchanges([.. consumed, .. published, .. faultBase]))),
            Pattern(own.Concat(Exchanges([.. published, .. faultBase]))),
            Pattern(own.Concat(Exchanges([.. consumed, .. faults]))));
    }

    private static IEnumerable<Type> ConsumedMessages(Type consumer) =>
        consumer.GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0]);

    private static IEnumerable<string> Exchanges(IEnumerable<Type> messages)
    {
        var names = new RabbitMqMessageNameFormatter();
        return messages.Select(m => Regex.Escape(names.GetMessageName(m).ToString()));
    }

    private static string Pattern(IEnumerable<string> alternatives) =>
        "^(" + string.Join('|', alternatives.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)) + ")$";
}
