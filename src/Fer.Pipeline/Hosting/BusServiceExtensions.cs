using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Fer.Pipeline.Hosting;

public static class BusServiceExtensions
{
    /// <summary>MassTransit on RabbitMQ, or in memory when <paramref name="inMemory"/> (embedded mode); consumers are the caller's.</summary>
    public static IServiceCollection AddFerBus(this IServiceCollection services, IConfiguration configuration,
        Action<IBusRegistrationConfigurator>? addConsumers = null, bool inMemory = false)
    {
        var options = configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        var prefix = string.IsNullOrWhiteSpace(options.EntityPrefix) ? null : options.EntityPrefix.Trim();
        services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(prefix, false));
            addConsumers?.Invoke(x);
            if (inMemory)
            {
                x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
                return;
            }
            var uri = configuration.GetConnectionString("RabbitMq")
                ?? throw new InvalidOperationException("ConnectionStrings:RabbitMq (amqp://user:password@host:5672/) is required");
            x.UsingRabbitMq((context, cfg) =>
            {
                // Publishes wait for the broker's confirm (MassTransit's default; stated so nobody turns it off by accident).
                cfg.Host(new Uri(uri), h => h.PublisherConfirmation = true);
                if (prefix is not null)
                    cfg.MessageTopology.SetEntityNameFormatter(new PrefixEntityNameFormatter(cfg.MessageTopology.EntityNameFormatter, prefix + "."));
                cfg.ConfigureEndpoints(context);
            });
        });
        return services;
    }
}
