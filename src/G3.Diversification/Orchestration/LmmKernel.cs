using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace G3.Diversification.Orchestration;

/// <summary>
/// Builds the Semantic Kernel the prompt functions run in: each provider's request pipeline is a keyed
/// <see cref="IChatClient"/> service (key = provider name, which prompt execution settings name as their service id),
/// and the telemetry filters watch prompt rendering and function invocation.
/// </summary>
public static class LmmKernel
{
    public static Kernel Create(IEnumerable<(string Name, IChatClient Client)> providers, ILoggerFactory? loggerFactory = null)
    {
        var builder = Kernel.CreateBuilder();
        if (loggerFactory is not null)
            builder.Services.AddSingleton(loggerFactory);
        foreach (var (name, client) in providers)
            builder.Services.AddKeyedSingleton(name, client); // an instance: the registry owns and disposes it, not the kernel
        builder.Services.AddSingleton<IPromptRenderFilter, PromptRenderTelemetryFilter>();
        builder.Services.AddSingleton<IFunctionInvocationFilter, FunctionInvocationTelemetryFilter>();
        return builder.Build();
    }
}
