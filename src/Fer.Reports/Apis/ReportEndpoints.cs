using Fer.Data;
using Fer.ImageSources;
using Fer.Reporting;
using Fer.Reporting.Publishing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Fer.Reports.Apis;

/// <summary>POST /reports/{dataset} makes a report now; GET /reports/{dataset}/latest shows the newest one as HTML.</summary>
public static class ReportEndpoints
{
    public static IEndpointRouteBuilder MapReportEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/reports/{dataset}", CreateAsync);
        routes.MapGet("/reports/{dataset}/latest", LatestAsync);
        return routes;
    }

    /// <param name="container">Needed only when the dataset name exists in several containers.</param>
    private static async Task<IResult> CreateAsync(string dataset, string? container, FerDbContext db, ReportService reports, CancellationToken cancellationToken)
    {
        var (datasetId, problem) = await FindDatasetAsync(dataset, container, db, cancellationToken);
        if (problem is not null)
            return problem;
        var published = await reports.CreateAsync(datasetId, ReportPublisher.OnDemandTrigger, cancellationToken);
        var latest = $"/reports/{Uri.EscapeDataString(dataset)}/latest" + (container is null ? "" : $"?container={Uri.EscapeDataString(container)}");
        return Results.Created(latest, ReportCreated.From(published));
    }

    /// <summary>The answer to a POST: the headline figures and where the files went (camelCase JSON).</summary>
    private sealed record ReportCreated(long ReportId, string Dataset, string Container, DateTimeOffset CreatedAt,
        long Scored, long Labelled, long Failed, double Accuracy, double MacroF1, double? AccuracyDelta,
        string Html, string Json, string Markdown)
    {
        public static ReportCreated From(PublishedReport published)
        {
            var r = published.Report;
            return new ReportCreated(published.ReportId, r.Dataset, r.Container, r.CreatedAt,
                r.ScoredCount, r.LabelledCount, r.FailedCount, r.Accuracy, r.MacroF1, r.Change?.AccuracyDelta,
                published.HtmlLocation, published.JsonLocation, published.MarkdownLocation);
        }
    }

    private static async Task<IResult> LatestAsync(string dataset, string? container, FerDbContext db, CancellationToken cancellationToken)
    {
        var (datasetId, problem) = await FindDatasetAsync(dataset, container, db, cancellationToken);
        if (problem is not null)
            return problem;
        var html = await db.Reports.AsNoTracking()
            .Where(r => r.DatasetId == datasetId)
            .OrderByDescending(r => r.Id)
            .Select(r => r.Html)
            .FirstOrDefaultAsync(cancellationToken);
        return html is null
            ? Results.Problem($"dataset '{dataset}' has no report yet; POST /reports/{dataset} makes one", statusCode: StatusCodes.Status404NotFound)
            : Results.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>The dataset's id, or the problem to answer with: 400 for a bad name, 404 for an unknown one.</summary>
    private static async Task<(long Id, IResult? Problem)> FindDatasetAsync(string dataset, string? container, FerDbContext db, CancellationToken cancellationToken)
    {
        if (NameProblem(dataset, container) is { } problem)
            return (0, Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest));
        try
        {
            return (await DatasetLookup.FindIdAsync(db, dataset, container, cancellationToken), null);
        }
        catch (DatasetNotFoundException ex)
        {
            return (0, Results.Problem(ex.Message, statusCode: StatusCodes.Status404NotFound));
        }
    }

    private static string? NameProblem(string dataset, string? container) =>
        DatasetNames.FolderProblem(dataset)
        ?? (container is null ? null : DatasetNames.ContainerProblem(container));
}
