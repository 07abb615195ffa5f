using Fer.Worker;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddFerWorker();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
