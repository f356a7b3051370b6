using System.Data.Common;
using Dapper;
using Npgsql;

namespace HotDistance.Catalog;

/// <summary>
/// The catalog in PostgreSQL: for the multi-machine setup, where every host records into one database. Tables go
/// into the connection's first search-path schema (normally <c>public</c>).
/// </summary>
public sealed class PostgresCatalog : SqlPipelineCatalog
{
    /// <summary>Key of the transaction-scoped advisory lock that serialises migrations across hosts ("hdcatlg").</summary>
    private const long MigrationLockKey = 0x6864_6361_746c_67;

    private readonly string connectionString;

    public PostgresCatalog(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        this.connectionString = builder.ConnectionString;
        Description = $"postgres {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }

    public override string Description { get; }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Concurrent CREATE TABLE IF NOT EXISTS can still collide in PostgreSQL's catalogs: take turns.</summary>
    protected override Task LockMigrationsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@Key)", new { Key = MigrationLockKey }, transaction, cancellationToken: cancellationToken));
}
