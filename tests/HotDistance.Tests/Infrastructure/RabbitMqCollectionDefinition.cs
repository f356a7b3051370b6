namespace HotDistance.Tests.Infrastructure;

/// <summary>
/// Test classes marked <c>[Collection(RabbitMqCollectionDefinition.Name)]</c> share one broker for the whole run and get
/// the <see cref="RabbitMqBrokerFixture"/> through their constructor. Tests in the collection run one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RabbitMqCollectionDefinition : ICollectionFixture<RabbitMqBrokerFixture>
{
    public const string Name = "rabbitmq";
}
