namespace Fer.Data.Persistence;

public static class DatabaseProviders
{
    public const string Postgres = "postgres";
    public const string Sqlite = "sqlite";

    public static bool IsSqlite(string provider) => string.Equals(provider, Sqlite, StringComparison.OrdinalIgnoreCase);
}
