using Fer.Pipeline.Hosting;
using Fer.Pipeline.Ingestion;
using Fer.Pipeline.Scoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Fer.Tests.Hosting;

/// <summary>Batch and page sizes are checked when a host starts: a zero is refused by name, not clamped somewhere later.</summary>
public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("Fer:Worker:MessageLimit")]
    [InlineData("Fer:Worker:ConcurrencyLimit")]
    [InlineData("Fer:Worker:DownloadConcurrency")]
    [InlineData("Fer:Ingest:WriteChunkSize")]
    [InlineData("Fer:Ingest:ListPageSize")]
    public async Task A_host_with_a_zero_size_does_not_start_and_names_the_setting(string setting)
    {
        using var host = Build(new Dictionary<string, string?> { [setting] = "0" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"{setting} must be at least 1", error.Message);
    }

    [Fact]
    public async Task The_defaults_and_explicit_sizes_start()
    {
        using var host = Build(new Dictionary<string, string?> { ["Fer:Worker:MessageLimit"] = "8", ["Fer:Ingest:WriteChunkSize"] = "50" });

        await host.StartAsync();

        Assert.Equal(8, host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value.MessageLimit);
        Assert.Equal(50, host.Services.GetRequiredService<IOptions<IngestOptions>>().Value.WriteChunkSize);
        await host.StopAsync();
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddFerIngestion(builder.Configuration);
        builder.Services.AddFerScoring(builder.Configuration);
        return builder.Build();
    }
}
