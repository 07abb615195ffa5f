using Fer.Ingest;

WebApplication.CreateBuilder(args)
    .BuildFerHost(host => host.AddFerIngest(), endpoints => endpoints.MapFerIngest())
    .Run();
