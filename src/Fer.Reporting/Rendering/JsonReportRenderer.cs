using System.Text.Json;
using System.Text.Json.Serialization;
using Fer.Reporting.Model;

namespace Fer.Reporting.Rendering;

/// <summary>The whole report as JSON (camelCase): every figure, for tools and for the next report's change section
/// (read back by <see cref="Fer.Data.Reports.ReportHistoryQuery"/>).</summary>
public static class JsonReportRenderer
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Render(DatasetReport report) => JsonSerializer.Serialize(report, Options);

    public static DatasetReport? Parse(string json) => JsonSerializer.Deserialize<DatasetReport>(json, Options);
}
