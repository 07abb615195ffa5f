using Fer.Reporting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Fer.Tests.Reports;

public sealed class ReportSettingsTests
{
    private static IHost Host(Dictionary<string, string?> settings)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddFerReporting(builder.Configuration, nightly: false);
        return builder.Build();
    }

    [Theory]
    [InlineData("MistakeCount", "-1", "Fer:Reports:MistakeCount must be at least 0")]
    [InlineData("TrendLength", "0", "Fer:Reports:TrendLength must be at least 1")]
    public async Task A_host_with_an_impossible_report_setting_refuses_to_start_and_names_it(string setting, string value, string message)
    {
        using var host = Host(new() { [$"Fer:Reports:{setting}"] = value, ["Fer:Reports:Folder"] = Path.GetTempPath() });

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(message, refused.Message);
    }

    [Fact]
    public void The_host_binds_every_report_setting_from_one_section()
    {
        using var host = Host(new()
        {
            ["Fer:Reports:MistakeCount"] = "0",
            ["Fer:Reports:TrendLength"] = "1",
            ["Fer:Reports:Thumbnails"] = "false",
            ["Fer:Reports:ImagesFolder"] = "/srv/images",
            ["Fer:Reports:Folder"] = "/srv/reports",
        });

        var settings = host.Services.GetRequiredService<IOptions<ReportSettings>>().Value;
        Assert.Equal((0, 1, false, "/srv/images", "/srv/reports"),
            (settings.MistakeCount, settings.TrendLength, settings.Thumbnails, settings.ImagesFolder, settings.Folder));
    }
}
