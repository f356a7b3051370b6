using System.Globalization;
using HotDistance.Catalog;
using HotDistance.Core.Security;
using HotDistance.Tests.Infrastructure;
using Npgsql;
using Testcontainers.PostgreSql;

namespace HotDistance.Tests.Catalog;

/// <summary>
/// A PostgreSQL server for the catalog tests. Tried in order: the server named by <c>HD_TEST_POSTGRES</c>; a
/// Testcontainers container when a Docker engine answers; a private server from the Debian <c>postgresql</c>
/// package. When none is possible it fails with instructions: the PostgreSQL tests never pass by skipping. Each
/// test gets a schema of its own (<see cref="CreateSchemaAsync"/>), so tests neither see nor clean up each other.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "HD_TEST_POSTGRES";
    public const string ContainerImage = "postgres:16";

    private static readonly TimeSpan ContainerStartTimeout = TimeSpan.FromMinutes(5);

    private string? _connectionString;
    private PostgreSqlContainer? _container;
    private PrivatePostgresServer? _server;

    /// <summary>Connects to the server's default database as a user that may create schemas.</summary>
    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("The PostgreSQL fixture has not been initialised.");

    /// <summary>Where the server came from and why the earlier sources were passed over.</summary>
    public string Description { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            var connection = CatalogConnection.Parse(external, Path.GetTempPath());
            _connectionString = connection.Kind == CatalogKind.Postgres
                ? connection.Target
                : throw new InvalidOperationException($"{EnvironmentVariable} must be a postgres:// URI or a Host=... connection string, not '{Redaction.Text(external)}'.");
            Description = $"external server from {EnvironmentVariable}";
            return;
        }

        var (dockerEndpoint, dockerReason) = await DockerEngineProbe.FindAsync().ConfigureAwait(false);
        if (dockerEndpoint is not null)
        {
            var failure = await TryStartContainerAsync().ConfigureAwait(false);
            if (failure is null)
            {
                Description = $"Testcontainers {ContainerImage} via Docker at {dockerEndpoint}";
                return;
            }

            dockerReason = $"Docker at {dockerEndpoint} answered but the container failed: {failure}";
        }

        var packageReason = PrivatePostgresServer.FindUnavailabilityReason();
        if (packageReason is not null)
        {
            throw new InvalidOperationException(NoServerMessage(dockerReason, packageReason));
        }

        _server = await PrivatePostgresServer.StartAsync().ConfigureAwait(false);
        _connectionString = _server.ConnectionString;
        Description = string.Create(
            CultureInfo.InvariantCulture,
            $"private PostgreSQL {_server.Version} on 127.0.0.1:{_server.Port}, started in {_server.StartupTime.TotalSeconds:0.0} s (Docker: {dockerReason})");
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        if (_container is not null)
        {
            await _container.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Creates an empty schema and returns a connection string whose tables go there.</summary>
    public async Task<string> CreateSchemaAsync()
    {
        var schema = "hdtest_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema }.ConnectionString;
    }

    internal static string NoServerMessage(string dockerReason, string packageReason) =>
        new MissingServerMessage(
            "The catalog tests need a PostgreSQL server",
            EnvironmentVariable,
            "postgres://user:password@localhost:5432/db",
            ContainerImage,
            "Private server from the postgresql package",
            "install PostgreSQL (Debian/Ubuntu): sudo apt-get install -y postgresql (or run ./test.sh, which does)",
            "cluster").Build(dockerReason, packageReason);

    private async Task<string?> TryStartContainerAsync()
    {
        var container = new PostgreSqlBuilder(ContainerImage).Build();
        if (await ContainerStart.TryAsync(container, ContainerStartTimeout).ConfigureAwait(false) is { } failure)
        {
            return failure;
        }

        _container = container;
        _connectionString = container.GetConnectionString();
        return null;
    }
}
