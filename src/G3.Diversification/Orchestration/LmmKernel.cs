using G3.Diversification.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace G3.Diversification.Orchestration;

/// <summary>
/// Builds the Semantic Kernel the prompt functions run in: each provider's request pipeline is a keyed
/// <see cref="IChatClient"/> service (key = provider name, which prompt execution settings name as their service id),
/// the telemetry filters watch prompt rendering and function invocation, and an <see cref="LmmChainContext"/> tells
/// generators the clock, the budget rule and the providers' circuits.
/// </summary>
public static class LmmKernel
{
    public static Kernel Create(IEnumerable<(string Name, IChatClient Client)> providers, ILoggerFactory? loggerFactory = null, LmmChainContext? chain = null)
    {
        var builder = Kernel.CreateBuilder();
        // The host's logger factory goes to our filters only: Semantic Kernel itself logs two Information lines per
        // function invocation, 80 per G3 request, which the provider middleware's own logging already covers.
        foreach (var (name, client) in providers)
        {
            // An instance: the registry owns and disposes the client, not the kernel.
            builder.Services.AddKeyedSingleton<IChatClient>(name, new KernelReadyChatClient(name, client));
        }
        builder.Services.AddSingleton(chain ?? LmmChainContext.Default);
        builder.Services.AddSingleton<IPromptRenderFilter>(new PromptRenderTelemetryFilter(loggerFactory));
        builder.Services.AddSingleton<IFunctionInvocationFilter, FunctionInvocationTelemetryFilter>();
        return builder.Build();
    }

    /// <summary>
    /// A kernel whose only chat service is <paramref name="client"/> (one provider's pipeline, resolved once by the
    /// caller), with <paramref name="source"/>'s filters and chain context. Semantic Kernel's prompt functions pick
    /// their chat client by the execution settings' service id, so the client stays keyed under
    /// <paramref name="name"/>; in this kernel that id can reach no other provider.
    /// </summary>
    public static Kernel ForProvider(Kernel source, string name, IChatClient client)
    {
        ArgumentNullException.ThrowIfNull(source);
        var builder = Kernel.CreateBuilder();
        builder.Services.AddKeyedSingleton(name, client);
        builder.Services.AddSingleton(source.Services.GetService<LmmChainContext>() ?? LmmChainContext.Default);
        foreach (var filter in source.PromptRenderFilters)
            builder.Services.AddSingleton(filter);
        foreach (var filter in source.FunctionInvocationFilters)
            builder.Services.AddSingleton(filter);
        return builder.Build();
    }
}

/// <summary>
/// What Semantic Kernel 1.82 requires of an <see cref="IChatClient"/> service beyond the interface: a
/// <see cref="ChatClientMetadata"/> (it wraps the client in an AI service that reads it), and non-null
/// <see cref="ChatResponse.AdditionalProperties"/> (copied into the function result's metadata, which must not be null).
/// The SDK clients provide both; in-memory clients and some adapters do not.
/// </summary>
internal sealed class KernelReadyChatClient(string name, IChatClient inner) : DelegatingChatClient(inner)
{
    private readonly ChatClientMetadata _metadata = new(name);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        response.AdditionalProperties ??= [];
        return response;
    }

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        base.GetService(serviceType, serviceKey) ?? (serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata : null);
}
