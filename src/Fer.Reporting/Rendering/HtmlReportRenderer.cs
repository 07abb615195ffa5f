using System.Text.Encodings.Web;
using System.Text.Unicode;
using Fer.Reporting.Model;
using Fer.Reporting.Rendering.Html;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fer.Reporting.Rendering;

/// <summary>
/// One self-contained HTML page: inline CSS and SVG, no scripts, no external assets, so it can be mailed,
/// stored as a blob and opened offline. The page is the Razor component <see cref="ReportPage"/> (see
/// Rendering/Html), rendered to a string by <see cref="HtmlRenderer"/>; Razor HTML-encodes every string
/// the components write, so user text (dataset, container, file paths, model names, failure reasons)
/// cannot inject markup.
/// </summary>
public static class HtmlReportRenderer
{
    // Razor encodes with the HtmlEncoder it finds here. Allowing all Unicode ranges keeps characters such as the
    // minus sign in "−1.5 pp" readable in the file; markup characters (<, >, &, quotes) are always encoded.
    private static readonly IServiceProvider Services = new ServiceCollection()
        .AddSingleton(HtmlEncoder.Create(UnicodeRanges.All))
        .BuildServiceProvider();

    public static string Render(DatasetReport report)
    {
        // The components are synchronous, so the dispatcher runs the render inline and the wait below never blocks.
        using var renderer = new HtmlRenderer(Services, NullLoggerFactory.Instance);
        var parameters = ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(ReportPage.Report)] = report });
        return renderer.Dispatcher
            .InvokeAsync(async () => (await renderer.RenderComponentAsync<ReportPage>(parameters)).ToHtmlString())
            .GetAwaiter().GetResult();
    }
}
