using G3.Diversification.Middleware;
using G3.Diversification.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace G3.Diversification.Resilience;

/// <summary>
/// The one place the LMM middleware is composed, with Microsoft.Extensions.AI's <see cref="ChatClientBuilder"/>. A request
/// passes, outermost first:
/// <code>
///   concurrency limit      (ours; shared by all providers; held for the whole request)
///   → fallback chain       (ours; primary, then each configured fallback's provider pipeline)
///     → ConfigureOptions   (M.E.AI; pins this provider's own model id: a fallback is never asked for the primary's model)
///       → logging          (M.E.AI UseLogging)
///       → choice fan-out   (ours; providers without n only: n choices = n calls)
///       → resilience       (ours; one Polly pipeline: circuit breaker → retry → hedging → timeout; meters each attempt)
///         → OpenTelemetry  (M.E.AI UseOpenTelemetry; one GenAI span + metrics per attempt)
///         → image detail   (ours; the prompt settings' default detail on images without one)
///         → provider errors (ours; SDK exceptions → LmmProviderException; stamps provider and model)
///           → raw client   (OpenAI SDK via M.E.AI.OpenAI, AzureOpenAIClient, OllamaSharp)
/// </code>
/// The limiter is outside the fallback so a chain takes one slot (two could deadlock at a limit of 1); the fallback sits
/// outside the breakers so an open circuit hands over at once.
/// </summary>
public sealed class LmmClientBuilder(LmmTelemetry telemetry, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
{
    /// <summary>The ActivitySource / Meter name M.E.AI's OpenTelemetry client reports under (GenAI semantic conventions).</summary>
    public const string TelemetrySourceName = "G3.Diversification.GenAI";

    private readonly ILoggerFactory _loggers = loggerFactory ?? NullLoggerFactory.Instance;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>One provider's own pipeline over <paramref name="raw"/> (no limiter inside: see the class summary).</summary>
    public IChatClient BuildProviderPipeline(string provider, string model, int maxSamplesPerCall, LmmResilienceOptions options, IChatClient raw)
    {
        var pipeline = LmmResiliencePipeline.Build(provider, options, telemetry, _loggers.CreateLogger<ResilientChatClient>(), _time);
        var builder = new ChatClientBuilder(raw)
            .ConfigureOptions(o => o.ModelId = model)
            .UseLogging(_loggers);
        if (maxSamplesPerCall <= 1)
            builder.Use(inner => new ChoiceFanOutChatClient(inner));
        return builder
            .Use(inner => new ResilientChatClient(inner, provider, pipeline, telemetry, options.Timeout))
            .UseOpenTelemetry(_loggers, TelemetrySourceName)
            .Use(inner => new ImageDetailChatClient(inner))
            .Use(inner => new ProviderErrorChatClient(inner, provider, model))
            .Build();
    }

    /// <summary>What a request calls: limiter → fallback chain over provider pipelines from <see cref="BuildProviderPipeline"/>.</summary>
    public IChatClient BuildRequestPipeline(IReadOnlyList<(string Name, IChatClient ProviderPipeline)> chain, LmmConcurrencyLimiter limiter)
    {
        var client = chain.Count == 1 ? chain[0].ProviderPipeline : new FallbackChatClient(chain, telemetry, _loggers.CreateLogger<FallbackChatClient>());
        return new ChatClientBuilder(client).Use(inner => new ConcurrencyLimitingChatClient(inner, limiter)).Build();
    }
}
