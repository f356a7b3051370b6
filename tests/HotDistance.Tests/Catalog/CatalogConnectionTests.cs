using HotDistance.Catalog;
using Npgsql;

namespace HotDistance.Tests.Catalog;

public class CatalogConnectionTests
{
    [Fact]
    public void Unset_means_a_sqlite_file_in_the_workspace()
    {
        var connection = CatalogConnection.Parse(null, "/srv/hd/ws");

        Assert.Equal(new CatalogConnection(CatalogKind.Sqlite, "/srv/hd/ws/catalog.db"), connection);
        Assert.IsType<SqliteCatalog>(connection.Open());
    }

    [Theory]
    [InlineData("sqlite:/data/hd.db", "/data/hd.db")]
    [InlineData("/data/hd.db", "/data/hd.db")]
    public void A_sqlite_prefix_or_a_path_names_a_sqlite_file(string value, string path) =>
        Assert.Equal(new CatalogConnection(CatalogKind.Sqlite, path), CatalogConnection.Parse(value, "/ws"));

    [Fact]
    public void A_postgres_uri_becomes_an_npgsql_connection_string_with_unescaped_credentials()
    {
        var connection = CatalogConnection.Parse("postgres://hd:p%40ss@db.lab:6543/pipeline?sslmode=require", "/ws");

        Assert.Equal(CatalogKind.Postgres, connection.Kind);
        var builder = new NpgsqlConnectionStringBuilder(connection.Target);
        Assert.Equal(("db.lab", 6543, "hd", "p@ss", "pipeline", SslMode.Require), (builder.Host, builder.Port, builder.Username, builder.Password, builder.Database, builder.SslMode));
        Assert.Equal(5432, new NpgsqlConnectionStringBuilder(CatalogConnection.Parse("postgresql://db/hd", "/ws").Target).Port);
    }

    [Fact]
    public void An_npgsql_connection_string_is_taken_as_it_is_and_one_without_a_host_is_refused()
    {
        var connection = CatalogConnection.Parse("Host=db;Username=hd;Database=pipeline", "/ws");

        Assert.Equal(CatalogKind.Postgres, connection.Kind);
        Assert.Equal("db", new NpgsqlConnectionStringBuilder(connection.Target).Host);
        Assert.Contains("Host", Assert.Throws<ArgumentException>(() => CatalogConnection.Parse("Username=hd;Database=x", "/ws")).Message, StringComparison.Ordinal);
        Assert.Contains("HD_CATALOG", Assert.Throws<ArgumentException>(() => CatalogConnection.Parse("Hots=db;Databse=x", "/ws")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void None_switches_recording_off()
    {
        var connection = CatalogConnection.Parse("none", "/ws");

        Assert.Equal(CatalogKind.None, connection.Kind);
        Assert.Throws<InvalidOperationException>(() => connection.Open());
    }

    [Fact]
    public void A_catalog_description_never_shows_a_password()
    {
        Assert.DoesNotContain("secret", CatalogConnection.Parse("postgres://hd:secret@db/x", "/ws").Open().Description, StringComparison.Ordinal);
    }
}
