using Npgsql;

namespace Fer.Faults;

/// <summary>Applies deploy/sql/worker-role.sql under a per-run role name and returns the worker's connection string.</summary>
public static class WorkerRole
{
    public static async Task<string> CreateAsync(NpgsqlDataSource owner, string repoRoot, string role)
    {
        var script = await File.ReadAllTextAsync(Path.Combine(repoRoot, "deploy", "sql", "worker-role.sql"));
        var password = Guid.NewGuid().ToString("N");
        await using (var apply = owner.CreateCommand(script.Replace("fer_worker", role)))
            await apply.ExecuteNonQueryAsync();
        // Role names and passwords cannot be bind parameters; both are generated here, never user input.
        await using (var setPassword = owner.CreateCommand($"ALTER ROLE \"{role}\" PASSWORD '{password}'"))
            await setPassword.ExecuteNonQueryAsync();
        await using var connection = await owner.OpenConnectionAsync();
        return new NpgsqlConnectionStringBuilder(connection.ConnectionString) { Username = role, Password = password }.ConnectionString;
    }
}
