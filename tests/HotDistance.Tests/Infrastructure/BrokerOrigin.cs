namespace HotDistance.Tests.Infrastructure;

/// <summary>Where the tests' broker came from, in the order the fixture tries them.</summary>
public enum BrokerOrigin
{
    /// <summary>A broker someone else runs, named by the HD_TEST_RABBITMQ environment variable.</summary>
    External,

    /// <summary>A rabbitmq container started with Testcontainers.</summary>
    Container,

    /// <summary>A private rabbitmq-server process started from the Debian package.</summary>
    PrivateServer,
}
