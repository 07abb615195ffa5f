using Fer.Data.Persistence;
using Fer.ImageSources;
using Fer.Reporting;
using Fer.Reports.Apis;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Fer.Reports;

public static class ReportsHostExtensions
{
    /// <summary>
    /// Everything the reports host runs: database, blob storage (report files and thumbnails), report
    /// publishing and the nightly schedule (<c>Fer:Reports</c>; <c>Fer:Reports:Nightly=false</c> leaves only the endpoints).
    /// </summary>
    public static IServiceCollection AddFerReports(this IServiceCollection services, IConfiguration configuration) => services
        .AddFerDbContext(configuration)
        .AddFerBlobStorage(configuration)
        .AddFerReporting(configuration, nightly: configuration.GetValue("Fer:Reports:Nightly", defaultValue: true));

    /// <summary>POST /reports/{dataset} and GET /reports/{dataset}/latest.</summary>
    public static IEndpointRouteBuilder MapFerReports(this IEndpointRouteBuilder endpoints) => endpoints.MapReportEndpoints();
}
