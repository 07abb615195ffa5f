using Fer.Reports;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddFerReports();

var app = builder.Build();
app.MapDefaultEndpoints();
app.RequireApiKey();
app.MapFerReports();
app.Run();

/// <summary>Visible to in-process host tests.</summary>
public partial class Program;
