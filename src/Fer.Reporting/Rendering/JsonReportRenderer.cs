using System.Text.Json;
using System.Text.Json.Serialization;
using Fer.Reporting.Model;

namespace Fer.Reporting.Rendering;

/// <summary>The whole report as JSON (camelCase): every figure, for tools and for the next report's change section.</summary>
public static class JsonReportRenderer
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Render(DatasetReport report) => JsonSerializer.Serialize(report, Options);

    public static DatasetReport? Parse(string json) => JsonSerializer.Deserialize<DatasetReport>(json, Options);

    /// <summary>
    /// Recall by label of the classes that had images, read leniently from a stored report's JSON so
    /// that older or damaged reports give an empty answer instead of failing the new report.
    /// </summary>
    public static IReadOnlyDictionary<string, double> ReadClassRecalls(string json)
    {
        var recalls = new Dictionary<string, double>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json))
            return recalls;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("classes", out var classes) || classes.ValueKind != JsonValueKind.Array)
                return recalls;
            foreach (var item in classes.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object
                    && item.TryGetProperty("label", out var label) && label.ValueKind == JsonValueKind.String
                    && item.TryGetProperty("recall", out var recall) && recall.ValueKind == JsonValueKind.Number
                    && item.TryGetProperty("support", out var support) && support.ValueKind == JsonValueKind.Number
                    && support.GetInt64() > 0)
                    recalls[label.GetString()!] = recall.GetDouble();
            }
        }
        catch (JsonException)
        {
            // a stored report we cannot read only costs the recall deltas
        }
        return recalls;
    }
}
