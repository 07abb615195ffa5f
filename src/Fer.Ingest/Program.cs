using Fer.Ingest;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddFerIngest();

var app = builder.Build();
app.MapDefaultEndpoints();
app.RequireApiKey();
app.MapFerIngest();
app.Run();
