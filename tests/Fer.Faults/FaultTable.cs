using System.Text;

namespace Fer.Faults;

/// <summary>The suite's result as a Markdown table (readable in a terminal too).</summary>
public static class FaultTable
{
    public static string Render(IReadOnlyList<FaultRow> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| fault | submitted | scored | failed | lost | duplicated |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in rows)
            text.AppendLine($"| {row.Fault} | {row.Submitted} | {row.Scored} | {row.Failed} | {row.Lost} | {row.Duplicated} |");
        text.AppendLine();
        foreach (var row in rows)
            text.AppendLine($"- **{row.Fault}**: {row.Notes}{(row.Problem is null ? "" : $" PROBLEM: {row.Problem}")}");
        return text.ToString();
    }
}
