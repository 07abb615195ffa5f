namespace Fer.Data.Persistence;

/// <summary>Bound from <c>Fer:Database</c>. The connection string is <c>ConnectionStrings:Postgres</c> or <c>ConnectionStrings:Sqlite</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Fer:Database";

    /// <summary>"postgres" (distributed mode) or "sqlite" (embedded mode).</summary>
    public string Provider { get; set; } = DatabaseProviders.Postgres;

    /// <summary>Apply migrations (PostgreSQL) or create the schema (SQLite) when the host starts.</summary>
    public bool MigrateOnStartup { get; set; }
}
