using Fer.Reports;

var builder = WebApplication.CreateBuilder(args);
builder.AddFerReports();
var app = builder.Build();
app.MapFerReports();
app.Run();

/// <summary>Visible to in-process host tests.</summary>
public partial class Program;
