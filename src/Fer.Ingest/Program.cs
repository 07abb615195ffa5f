using Fer.Pipeline.Hosting;

var builder = WebApplication.CreateBuilder(args);
// TODO(service-defaults): builder.AddServiceDefaults(); — enable once src/Fer.ServiceDefaults lands from branch ci.
builder.AddFerIngest();

var app = builder.Build();
// TODO(service-defaults): app.MapDefaultEndpoints();
app.MapFerIngest();
app.Run();
