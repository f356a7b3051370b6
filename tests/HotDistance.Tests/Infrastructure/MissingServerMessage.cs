using System.Globalization;
using System.Text;

namespace HotDistance.Tests.Infrastructure;

/// <summary>
/// What a server fixture says when it could get no server: the three sources it tried, why each failed, and how
/// to fix any one of them. Shared by the RabbitMQ and PostgreSQL fixtures, which try the same three sources.
/// </summary>
internal sealed record MissingServerMessage(
    string Needed,
    string Variable,
    string ExampleUri,
    string ContainerImage,
    string PackageSource,
    string Install,
    string PrivateInstance)
{
    public string Build(string dockerReason, string packageReason)
    {
        var message = new StringBuilder();
        message.AppendLine(CultureInfo.InvariantCulture, $"{Needed} and none could be found or started.");
        message.AppendLine(CultureInfo.InvariantCulture, $"  1. {Variable}: not set.");
        message.AppendLine(CultureInfo.InvariantCulture, $"  2. Docker (Testcontainers, {ContainerImage}): {dockerReason}.");
        message.AppendLine(CultureInfo.InvariantCulture, $"  3. {PackageSource}: {packageReason}.");
        message.AppendLine("Any one of these fixes it:");
        message.AppendLine(CultureInfo.InvariantCulture, $"  - point the tests at a running server: export {Variable}={ExampleUri}");
        message.AppendLine(CultureInfo.InvariantCulture, $"  - {Install}");
        message.AppendLine(CultureInfo.InvariantCulture, $"    (the tests then start a private loopback-only {PrivateInstance} themselves; the system service is not used)");
        message.Append("  - start a Docker engine the current user can reach (DOCKER_HOST or /var/run/docker.sock)");
        return message.ToString();
    }
}
