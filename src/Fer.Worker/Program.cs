using Fer.Pipeline.Hosting;

var builder = WebApplication.CreateBuilder(args);
// TODO(service-defaults): builder.AddServiceDefaults(); — enable once src/Fer.ServiceDefaults lands from branch ci.
builder.AddFerWorker();

var app = builder.Build();
// TODO(service-defaults): app.MapDefaultEndpoints();
app.Run();
