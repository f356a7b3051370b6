namespace HotDistance.Catalog;

public enum CatalogKind
{
    /// <summary>Nothing is recorded (<c>HD_CATALOG=none</c>).</summary>
    None,

    /// <summary>A SQLite file: the default, in the workspace.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by the hosts of a multi-machine pipeline.</summary>
    Postgres,
}
