using Azure.Storage.Blobs;
using Fer.Data;
using Fer.Pipeline.Reports;
using Microsoft.EntityFrameworkCore;

namespace Fer.Reports;

public static class ReportsHostExtensions
{
    public const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=fer;Password=fer;Database=fer";
    public const string DefaultBlobs = "UseDevelopmentStorage=true";

    /// <summary>
    /// Everything the reports host runs: the database (ConnectionStrings:Postgres), blob storage
    /// (ConnectionStrings:Blobs), report publishing and the nightly schedule (Fer:Reports).
    /// </summary>
    public static IHostApplicationBuilder AddFerReports(this IHostApplicationBuilder builder)
    {
        var postgres = builder.Configuration.GetConnectionString("Postgres") ?? DefaultPostgres;
        var blobs = builder.Configuration.GetConnectionString("Blobs") ?? DefaultBlobs;
        builder.Services.AddDbContext<FerDbContext>(options => options.UseNpgsql(postgres));
        builder.Services.AddSingleton(_ => new BlobServiceClient(blobs));
        builder.Services.AddFerReporting(builder.Configuration,
            nightly: builder.Configuration.GetValue("Fer:Reports:Nightly", defaultValue: true));
        return builder;
    }

    public static WebApplication MapFerReports(this WebApplication app)
    {
        app.MapReportEndpoints();
        return app;
    }
}
