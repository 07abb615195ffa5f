using Fer.Worker;

WebApplication.CreateBuilder(args)
    .BuildFerHost((services, configuration) => services.AddFerWorker(configuration))
    .Run();
