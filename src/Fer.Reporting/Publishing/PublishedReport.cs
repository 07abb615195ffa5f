using Fer.Reporting.Model;

namespace Fer.Reporting.Publishing;

/// <summary>A stored report: its reports-table id and where its three files were written.</summary>
public sealed record PublishedReport(long ReportId, DatasetReport Report, string HtmlLocation, string JsonLocation, string MarkdownLocation);
