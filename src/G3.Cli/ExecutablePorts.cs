using G3.Host.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace G3.Cli;

/// <summary>What the executable registers into the service host (<see cref="ServiceHost.Build"/>).</summary>
internal static class ExecutablePorts
{
    public static void Add(IServiceCollection services) =>
        services.TryAddSingleton<IFirstStartWorld, SyntheticFirstStartWorld>();
}
