using System.Text.RegularExpressions;
using HotDistance.Hosting;

namespace HotDistance.Tests.Hosting;

/// <summary>
/// docker-compose.yml ships no credentials: every secret is a required variable from .env, every such variable is in
/// .env.example (and nothing else is), and each role connects to the pipeline's vhost as the user hd
/// broker-definitions creates for it. (No Docker engine runs here; the broker users themselves are exercised by
/// BrokerUsersTests on a real broker.)
/// </summary>
public class ComposeCredentialsTests
{
    private static readonly string Compose = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Deployment", "docker-compose.yml"));
    private static readonly string Example = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Deployment", "env.example"));

    [Fact]
    public void Compose_holds_no_default_credential_and_needs_every_secret_from_env()
    {
        Assert.DoesNotContain("guest:guest", Compose, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"(?m)^\s+POSTGRES_PASSWORD: [^$]", Compose);
        Assert.DoesNotMatch(@"://[^:/\s]+:[^$@\s]+@", Compose);

        var required = Regex.Matches(Compose, @"\$\{([A-Z0-9_]+):\?").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var listed = Regex.Matches(Example, @"^([A-Z0-9_]+)=", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(required.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Contains("MLFLOW_ADMIN_PASSWORD", required);
        Assert.Contains("POSTGRES_PASSWORD", required);
        Assert.Contains("--app-name basic-auth", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Deployment", "mlflow-start.sh")), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_role_connects_as_its_own_broker_user_whose_password_the_definitions_service_gets()
    {
        foreach (var role in BrokerDefinitions.Roles)
        {
            var user = BrokerDefinitions.UserOf(role);
            var variable = BrokerDefinitions.PasswordVariable(user);
            Assert.Matches($@"(?ms)^  {role}:\n.*?HD_RABBITMQ: amqp://{user}:\$\{{{variable}:\?[^}}]*\}}@rabbitmq:5672/hotdistance$", Compose);
            Assert.Matches($@"(?m)^      {variable}: \$\{{{variable}:\?", Compose);
        }

        Assert.Matches(@"(?m)^      HD_RABBITMQ_PASSWORD_ADMIN: \$\{HD_RABBITMQ_PASSWORD_ADMIN:\?", Compose);
        Assert.Contains("\"broker-definitions\", \"--vhost\", \"hotdistance\"", Compose, StringComparison.Ordinal);
    }
}
