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
    /// <remarks>
    /// Counts real HTTP calls (each attempt, each of the N calls of a provider without <c>n</c>), not requests. 8: a local
    /// Ollama server runs 1 to 4 requests at once by default (OLLAMA_NUM_PARALLEL) and queues the rest, so 8 keeps it
    /// saturated with a queue of its own while a 40-call LLaVA request runs in five waves of 8; a provider with <c>n</c>
    /// makes one call per prompt variant (4 per request), so two requests run side by side. Raise it for a hosted
    /// provider whose rate limit allows more.
    /// </remarks>
    public int MaxConcurrentCalls { get; init; } = 8;

    /// <summary>How a request's time is shared along a provider chain (hand-over to fallbacks, per-attempt timeouts).</summary>
    public LmmBudgetOptions Budget { get; init; } = new();
}

/// <summary>One named provider.</summary>
public sealed record LmmProviderOptions
{
    /// <summary>openai | azure-openai | ollama | openai-compatible | none (<see cref="LmmProviderKinds"/>).</summary>
    public string Kind { get; init; } = LmmProviderKinds.OpenAI;

    /// <summary>
    /// Model id sent to the server ("gpt-4o", "llava:13b"); part of every response-cache key. For azure-openai it names
    /// the model behind the deployment (for cache keys and telemetry); requests go to <see cref="Deployment"/>.
    /// </summary>
    public string Model { get; init; } = "";

    /// <summary>
    /// openai: null means https://api.openai.com/v1. azure-openai: the resource, "https://{resource}.openai.azure.com/"
    /// (required). ollama: the server root, e.g. "http://localhost:11434" (required). openai-compatible: the API base
    /// including its version segment, e.g. vLLM / LM Studio / llama.cpp "http://host:port/v1" (required).
    /// </summary>
    public Uri? Endpoint { get; init; }

    /// <summary>
    /// Secret; the host fills it from an environment variable, never from a committed file. Optional for local servers.
    /// azure-openai without a key signs in with Entra ID (DefaultAzureCredential: managed identity, workload identity,
    /// environment, Azure CLI).
    /// </summary>
    public string? ApiKey { get; init; }

    /// <summary>azure-openai: the deployment name requests go to; null = <see cref="Model"/>.</summary>
    public string? Deployment { get; init; }

    /// <summary>azure-openai: the REST API version, e.g. "2024-10-21"; null = the SDK's default.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>
    /// The execution-settings profile of the prompt templates (their config.json) this provider samples with: "gpt4v"
    /// (temperature 1.2, max 200 tokens, low image detail), "llava" (temperature 0.7), "default", or one an experiment's
    /// prompt folder defines. Null: "llava" for ollama, "gpt4v" for the others.
    /// </summary>
    public string? PromptSettings { get; init; }

    /// <summary>
    /// off (the prompt asks for JSON), json (JSON mode), json_schema (the answer's schema where the server supports it).
    /// The robust answer parser reads every answer either way.
    /// </summary>
    public string StructuredOutput { get; init; } = StructuredOutputModes.Off;

    /// <summary>
    /// openai-compatible: which request field carries the token limit. "max_tokens" (default) is what vLLM, llama.cpp
    /// and LM Studio accept; "max_completion_tokens" is what OpenAI's SDK writes by default. openai and azure-openai
    /// always use the SDK's field.
    /// </summary>
    public string TokenLimitField { get; init; } = "max_tokens";

    /// <summary>
    /// openai-compatible: whether the server honours <c>n</c> (several choices per call); set false for servers that
    /// ignore it (some llama.cpp builds) so the generator makes one call per sample. openai and azure-openai always do.
    /// </summary>
    public bool SupportsN { get; init; } = true;

    /// <summary>ollama: how long the model stays loaded after a call ("5m", "1h", "-1" forever, "0" unload); null = server default.</summary>
    public string? KeepAlive { get; init; }

    /// <summary>
    /// How many photos of a several-photo query a prompt shows (the first ones, 1..8); null = all 8, or 1 for ollama
    /// (LLaVA was trained on one image per prompt). Retrieval and verification use every photo regardless.
    /// </summary>
    public int? MaxImages { get; init; }

    /// <summary>The photo limit in effect (see <see cref="MaxImages"/>).</summary>
    public int EffectiveMaxImages => MaxImages ?? Kinds.ProviderKinds.Find(Kind)?.DefaultMaxImages ?? G3.Core.Ports.PlaceQuery.MaxImages;

    /// <summary>Providers (by name, in order) that answer when this one fails after its retries or while its breaker is open.</summary>
    public IReadOnlyList<string> Fallbacks { get; init; } = [];

    /// <summary>What the model bills, for experiments' cost estimates and budgets; null: unknown (costs are reported as unknown).</summary>
    public LmmPrice? Price { get; init; }

    /// <summary>
    /// Calls per minute this provider allows; null: no limit. Calls are spaced evenly (one every 60 s / this, widened by 1 %),
    /// never in a burst, so no 60-second window holds more; every attempt takes a permit, a retry after a 429 included.
    /// </summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>
    /// Tokens per minute this provider allows; null: no limit. Each call takes its estimated input tokens plus its completion
    /// limit (<see cref="Tokens"/>) from a bucket that holds one minute's worth and refills evenly.
    /// </summary>
    public int? TokensPerMinute { get; init; }

    /// <summary>How this provider counts tokens, for plans and the tokens-per-minute limit.</summary>
    public G3.Diversification.Tokens.LmmTokenOptions Tokens { get; init; } = new();

    /// <summary>Timeout, retries, circuit breaker and hedging for calls to this provider.</summary>
    public LmmResilienceOptions Resilience { get; init; } = new();

    /// <summary>OpenAI's documented maximum for <c>n</c>.</summary>
    internal const int MaxChoicesPerCall = 128;

    /// <summary>How many choices one call returns (what <see cref="LmmProviderInfo.MaxSamplesPerCall"/> reports).</summary>
    public int MaxSamplesPerCall => Kinds.ProviderKinds.Find(Kind)?.MaxSamplesPerCall(this) ?? 1;

    /// <summary>The prompt-settings profile in effect (see <see cref="PromptSettings"/>).</summary>
    public string EffectivePromptSettings => PromptSettings ?? Kinds.ProviderKinds.Find(Kind)?.DefaultPromptSettings ?? "gpt4v";

    /// <summary>The record's printout, with the API key redacted: options end up in logs and exception messages.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Kind = {Kind}, Model = {Model}, Endpoint = {Endpoint}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(none)" : "***")}, ");
        builder.Append($"Deployment = {Deployment}, ApiVersion = {ApiVersion}, PromptSettings = {PromptSettings}, StructuredOutput = {StructuredOutput}, ");
        builder.Append($"TokenLimitField = {TokenLimitField}, MaxImages = {MaxImages}, SupportsN = {SupportsN}, KeepAlive = {KeepAlive}, Fallbacks = [{string.Join(", ", Fallbacks)}], Price = {Price}, ");
        builder.Append($"RequestsPerMinute = {RequestsPerMinute}, TokensPerMinute = {TokensPerMinute}, Tokens = {Tokens}, Resilience = {Resilience}");
        return true;
    }
}
