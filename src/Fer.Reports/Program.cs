using Fer.Reports;

WebApplication.CreateBuilder(args)
    .BuildFerHost(host => host.AddFerReports(), endpoints => endpoints.MapFerReports())
    .Run();

/// <summary>Visible to in-process host tests.</summary>
public partial class Program;
