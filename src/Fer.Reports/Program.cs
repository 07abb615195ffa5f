using Fer.Reports;

WebApplication.CreateBuilder(args)
    .BuildFerHost((services, configuration) => services.AddFerReports(configuration), endpoints => endpoints.MapFerReports())
    .Run();

/// <summary>Visible to in-process host tests.</summary>
public partial class Program;
