using Npgsql;

namespace Fer.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh, migrated database with one of deploy/sql/*-role.sql applied under a unique role name; the role is dropped
/// with the database afterwards. What the role tests of each host share.
/// </summary>
public sealed class RestrictedRoleDatabase(string script, string templateRole) : IAsyncLifetime
{
    public PostgresDatabase Owner { get; } = new();
    public string Role { get; } = TestServices.UniqueName(templateRole + "_");

    /// <summary>The database, logged in as the restricted role.</summary>
    public string RoleConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Owner.InitializeAsync();
        RoleConnectionString = await DatabaseRoles.ApplyAsync(Owner.ConnectionString, script, templateRole, Role);
    }

    public async Task DisposeAsync()
    {
        await Owner.DisposeAsync(); // drops the database, and with it the role's grants
        await DatabaseRoles.DropAsync(Role);
    }

    /// <summary>Asserts that the role may not run <paramref name="sql"/>: PostgreSQL refuses it for want of privilege.</summary>
    public async Task AssertDeniedAsync(string sql)
    {
        await using var restricted = NpgsqlDataSource.Create(RoleConnectionString);
        await using var command = restricted.CreateCommand(sql);
        var ex = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.True(ex.SqlState is PostgresErrorCodes.InsufficientPrivilege, $"{ex.SqlState}: {ex.MessageText}");
    }
}
