namespace HotDistance.Tests.Catalog;

/// <summary>Test classes marked <c>[Collection(PostgresCollectionDefinition.Name)]</c> share one PostgreSQL server for the run.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollectionDefinition : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
