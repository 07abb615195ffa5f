using Npgsql;

namespace Fer.Testing;

/// <summary>
/// The least-privilege roles of deploy/sql/*-role.sql, applied under a unique name (roles are cluster-wide, so runs
/// side by side must not share one) with a generated password, and dropped again.
/// </summary>
public static class DatabaseRoles
{
    /// <summary>
    /// Runs deploy/sql/<paramref name="script"/> on the owner's database with <paramref name="templateRole"/> renamed to
    /// <paramref name="role"/>, and returns the owner's connection string logged in as that role.
    /// </summary>
    /// <param name="repoRoot">the checkout whose deploy/sql to read; the one holding these binaries by default</param>
    public static async Task<string> ApplyAsync(string ownerConnectionString, string script, string templateRole, string role, string? repoRoot = null)
    {
        var sql = await File.ReadAllTextAsync(Path.Combine(repoRoot ?? RepoPaths.Root, "deploy", "sql", script));
        var password = Guid.NewGuid().ToString("N");
        await using var owner = NpgsqlDataSource.Create(ownerConnectionString);
        await using (var apply = owner.CreateCommand(sql.Replace(templateRole, role)))
            await apply.ExecuteNonQueryAsync();
        // Role names and passwords cannot be bind parameters; both are generated here, never user input.
        await using (var setPassword = owner.CreateCommand($"ALTER ROLE \"{role}\" PASSWORD '{password}'"))
            await setPassword.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(ownerConnectionString) { Username = role, Password = password }.ConnectionString;
    }

    /// <summary>Drops the role (after its database, which holds its grants, is gone).</summary>
    public static async Task DropAsync(string role, string? server = null)
    {
        await using var admin = NpgsqlDataSource.Create(server ?? TestServices.Postgres);
        await using var drop = admin.CreateCommand($"DROP ROLE IF EXISTS \"{role}\"");
        await drop.ExecuteNonQueryAsync();
    }
}
