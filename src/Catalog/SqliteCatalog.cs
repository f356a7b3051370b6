using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace HotDistance.Catalog;

/// <summary>
/// The catalog in one SQLite file (by default <c>catalog.db</c> in the workspace): nothing to install, enough for
/// one machine. Write-ahead logging lets <c>hd status</c> read while roles write; several processes share the file,
/// each write waiting (busy timeout) for the one before. Not for a network file system: use PostgreSQL there.
/// </summary>
public sealed class SqliteCatalog : SqlPipelineCatalog
{
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);
    private readonly string connectionString;

    public SqliteCatalog(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
            Pooling = true,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    public override string Description => $"sqlite {Path}";

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (System.IO.Path.GetDirectoryName(Path) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // Per connection: wait for another writer instead of failing with SQLITE_BUSY. NORMAL is durable in WAL
            // mode up to the last checkpoint-free commit, which is all a catalog rebuilt from events needs.
            await connection.ExecuteAsync(
                new CommandDefinition($"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;", cancellationToken: cancellationToken)).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>WAL is a property of the file, set once outside any transaction.</summary>
    protected override Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<string>(new CommandDefinition("PRAGMA journal_mode = WAL", cancellationToken: cancellationToken));
}
