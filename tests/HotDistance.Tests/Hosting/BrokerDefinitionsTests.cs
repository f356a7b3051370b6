using HotDistance.Core;
using HotDistance.Hosting;

namespace HotDistance.Tests.Hosting;

public class BrokerDefinitionsTests
{
    [Fact]
    public void Passwords_are_hashed_as_RabbitMQ_hashes_them()
    {
        // The worked example of RabbitMQ's password guide: salt 908DC60A, password "test12".
        Assert.Equal("kI3GCqW5JLMJa4iX1lo7X4D6XbYqlLgxIs30+P6tENUV2POR", BrokerDefinitions.HashPassword("test12", Convert.FromHexString("908DC60A")));
        Assert.NotEqual(BrokerDefinitions.HashPassword("test12"), BrokerDefinitions.HashPassword("test12"));
    }

    [Fact]
    public void A_missing_password_names_the_variable_to_set_and_no_password_is_written_in_clear()
    {
        using var temp = new TempDirectory();
        var settings = new HostSettings { Pipeline = new PipelineSettings { Workspace = temp.Path }, Catalog = "none" };
        var passwords = BrokerDefinitions.Users.ToDictionary(u => u, u => "secret-of-" + u, StringComparer.Ordinal);

        var json = BrokerDefinitions.Create(settings, "lab", passwords).ToJsonString();
        Assert.DoesNotContain("secret-of-", json, StringComparison.Ordinal);

        passwords.Remove("hd-trainer");
        var missing = Assert.Throws<ArgumentException>(() => BrokerDefinitions.Create(settings, "lab", passwords));
        Assert.Contains("set HD_RABBITMQ_PASSWORD_TRAINER", missing.Message, StringComparison.Ordinal);
    }
}
