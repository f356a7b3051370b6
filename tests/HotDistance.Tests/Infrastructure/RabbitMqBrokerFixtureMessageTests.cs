namespace HotDistance.Tests.Infrastructure;

/// <summary>Checks of the fixture's own logic that need no broker.</summary>
public sealed class RabbitMqBrokerFixtureMessageTests
{
    [Fact]
    public void Failure_without_any_broker_says_how_to_get_one()
    {
        var message = RabbitMqBrokerFixture.NoBrokerMessage("no Docker socket found", "rabbitmq-server is not installed");

        Assert.Contains("export HD_TEST_RABBITMQ=amqp://", message, StringComparison.Ordinal);
        Assert.Contains("apt-get install -y rabbitmq-server", message, StringComparison.Ordinal);
        Assert.Contains("Docker engine", message, StringComparison.Ordinal);
        Assert.Contains("no Docker socket found", message, StringComparison.Ordinal);
        Assert.Contains("rabbitmq-server is not installed", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ok,14400000}", 14_400_000L)]
    [InlineData("{ok, 1800000}\n", 1_800_000L)]
    [InlineData("{ok,false}", -1L)]
    public void Consumer_timeout_is_read_from_rabbitmqctl_eval_output(string output, long expectedMilliseconds)
    {
        var expected = expectedMilliseconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(expectedMilliseconds);

        Assert.Equal(expected, RabbitMqBrokerFixture.ParseConsumerTimeout(output));
    }

    [Fact]
    public void Unexpected_eval_output_is_an_error_not_a_default()
    {
        Assert.Throws<FormatException>(() => RabbitMqBrokerFixture.ParseConsumerTimeout("undefined"));
    }
}
