using HotDistance.Catalog;

namespace HotDistance.Tests.Catalog;

/// <summary>The catalog contract on a real PostgreSQL server (see <see cref="PostgresFixture"/>), one schema per test.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class PostgresCatalogTests(PostgresFixture postgres) : PipelineCatalogContract
{
    protected override async Task<CatalogConnection> CreateDatabaseAsync() =>
        new(CatalogKind.Postgres, await postgres.CreateSchemaAsync());
}
