using HotDistance.Catalog;

namespace HotDistance.Tests.Catalog;

/// <summary>The catalog contract on SQLite files (the default catalog).</summary>
public sealed class SqliteCatalogTests : PipelineCatalogContract, IDisposable
{
    private readonly TempDirectory _temp = new();

    protected override Task<CatalogConnection> CreateDatabaseAsync() =>
        Task.FromResult(new CatalogConnection(CatalogKind.Sqlite, _temp.Combine($"catalog-{Guid.NewGuid():N}.db")));

    public void Dispose() => _temp.Dispose();
}
