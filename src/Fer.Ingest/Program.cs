using Fer.Ingest;

WebApplication.CreateBuilder(args)
    .BuildFerHost((services, configuration) => services.AddFerIngest(configuration), endpoints => endpoints.MapFerIngest())
    .Run();
