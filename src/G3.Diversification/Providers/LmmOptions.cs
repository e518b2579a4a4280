using System.Text;
using G3.Diversification.Resilience;

namespace G3.Diversification.Providers;

/// <summary>
/// The LMM section of the configuration: several named providers, one default, one global in-flight limit.
/// Bindable from configuration (init properties, TimeSpans as "00:00:30"); check with <see cref="LmmOptionsValidator"/>.
/// </summary>
public sealed record LmmOptions
{
    /// <summary>The provider used when a request names none. "none" (always available) runs the pipeline without an LMM.</summary>
    public string Default { get; init; } = LmmProviderKinds.None;

    /// <summary>Providers by name (case-insensitive), e.g. "gpt4o", "llava".</summary>
    public IReadOnlyDictionary<string, LmmProviderOptions> Providers { get; init; } = new Dictionary<string, LmmProviderOptions>();

    /// <summary>
    /// Calls in flight at once across every request and provider (a burst of users queues here instead of
    /// tripping the provider's rate limit). A waiting call honours its cancellation token.
    /// </summary>
    public int MaxConcurrentCalls { get; init; } = 8;
}

/// <summary>One named provider.</summary>
public sealed record LmmProviderOptions
{
    /// <summary>openai | ollama | none (<see cref="LmmProviderKinds"/>).</summary>
    public string Kind { get; init; } = LmmProviderKinds.OpenAI;

    /// <summary>Model id sent to the server ("gpt-4o", "llava:13b"); part of every response-cache key.</summary>
    public string Model { get; init; } = "";

    /// <summary>
    /// openai: the API base including its version segment — null means https://api.openai.com/v1; Azure OpenAI
    /// "https://{resource}.openai.azure.com/openai/v1/", vLLM/LM Studio/llama.cpp "http://host:port/v1", Ollama "http://host:11434/v1".
    /// ollama: the server root, e.g. "http://localhost:11434" (required).
    /// </summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Secret; the host fills it from an environment variable, never from a committed file. Optional for local servers.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Upper bound on generated tokens per choice unless the request's ChatOptions.MaxOutputTokens says otherwise (the reference uses 200).</summary>
    public int MaxTokens { get; init; } = 200;

    /// <summary>
    /// openai: which request field carries <see cref="MaxTokens"/>. "max_tokens" (default) is what GPT-4o, Azure, vLLM,
    /// llama.cpp and Ollama's /v1 all accept; "max_completion_tokens" is required by OpenAI's reasoning models.
    /// </summary>
    public string TokenLimitField { get; init; } = "max_tokens";

    /// <summary>openai: vision detail ("low", "high", "auto") for images that do not carry their own hint; the reference uses "low".</summary>
    public string ImageDetail { get; init; } = "low";

    /// <summary>
    /// openai: whether the server honours <c>n</c> (several choices per call). True for OpenAI and Azure; set false for
    /// servers that ignore it (Ollama's /v1, some llama.cpp builds) so the generator makes one call per sample.
    /// </summary>
    public bool SupportsN { get; init; } = true;

    /// <summary>ollama: how long the model stays loaded after a call ("5m", "1h", "-1" forever, "0" unload); null = server default.</summary>
    public string? KeepAlive { get; init; }

    /// <summary>Providers (by name, in order) that answer when this one fails after its retries or while its breaker is open.</summary>
    public IReadOnlyList<string> Fallbacks { get; init; } = [];

    /// <summary>Timeout, retries, circuit breaker and hedging for calls to this provider.</summary>
    public LmmResilienceOptions Resilience { get; init; } = new();

    /// <summary>OpenAI's documented maximum for <c>n</c>.</summary>
    internal const int MaxChoicesPerCall = 128;

    /// <summary>How many choices one call returns (what <see cref="LmmProviderInfo.MaxSamplesPerCall"/> reports).</summary>
    public int MaxSamplesPerCall => Kind == LmmProviderKinds.OpenAI && SupportsN ? MaxChoicesPerCall : 1;

    /// <summary>The record's printout, with the API key redacted: options end up in logs and exception messages.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Kind = {Kind}, Model = {Model}, Endpoint = {Endpoint}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(none)" : "***")}, ");
        builder.Append($"MaxTokens = {MaxTokens}, TokenLimitField = {TokenLimitField}, ImageDetail = {ImageDetail}, SupportsN = {SupportsN}, ");
        builder.Append($"KeepAlive = {KeepAlive}, Fallbacks = [{string.Join(", ", Fallbacks)}], Resilience = {Resilience}");
        return true;
    }
}
