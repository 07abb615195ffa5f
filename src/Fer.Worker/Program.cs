using Fer.Worker;

WebApplication.CreateBuilder(args).BuildFerHost(host => host.AddFerWorker()).Run();
