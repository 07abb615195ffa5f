namespace Fer.IntegrationTests.Infrastructure;

/// <summary>The real local services; FER_TEST_* environment variables point the tests elsewhere.</summary>
public static class TestServices
{
    public static string Postgres => Environment.GetEnvironmentVariable("FER_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=fer;Password=fer;Database=fer";
    public static string RabbitMq => Environment.GetEnvironmentVariable("FER_TEST_RABBITMQ") ?? "amqp://guest:guest@127.0.0.1:5672/";
    public static string Blob => Environment.GetEnvironmentVariable("FER_TEST_BLOB") ?? "UseDevelopmentStorage=true";

    /// <summary>Lower-case, short, unique: valid as a database, container or queue-name prefix.</summary>
    public static string UniqueName(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 16, 40)];
}
