using G3.Diversification.Resilience;
using G3.Diversification.Tokens;

namespace G3.Diversification.Providers;

/// <summary>
/// Checks <see cref="LmmOptions"/> up front so a misconfiguration fails at start-up with every problem listed,
/// not at the first user's request. Ranges mirror Polly's own limits so its validation never fires later.
/// </summary>
public static class LmmOptionsValidator
{
    private static readonly string[] s_tokenFields = ["max_tokens", "max_completion_tokens"];

    /// <summary>Every problem found, each naming the setting (e.g. "Lmm:Providers:gpt4o:Model"); empty when valid.</summary>
    public static IReadOnlyList<string> Validate(LmmOptions options, string section = "Lmm")
    {
        var errors = new List<string>();
        if (options.MaxConcurrentCalls < 1)
            errors.Add($"{section}:MaxConcurrentCalls must be at least 1 (was {options.MaxConcurrentCalls}).");

        if (options.Budget.Stage < TimeSpan.FromMilliseconds(100) || options.Budget.Stage > TimeSpan.FromHours(1))
            errors.Add($"{section}:Budget:Stage must be in 100 ms..1 h (was {options.Budget.Stage}).");
        if (options.Budget.HandoverAfter is <= 0 or >= 1 || double.IsNaN(options.Budget.HandoverAfter))
            errors.Add($"{section}:Budget:HandoverAfter must be a share of the budget in (0, 1) (was {options.Budget.HandoverAfter}).");

        var names = new HashSet<string>(options.Providers.Keys, StringComparer.OrdinalIgnoreCase);
        if (names.Count != options.Providers.Count)
            errors.Add($"{section}:Providers has names that differ only by case; names are case-insensitive.");
        if (!names.Contains(options.Default) && !options.Default.Equals(LmmProviderKinds.None, StringComparison.OrdinalIgnoreCase))
            errors.Add($"{section}:Default is '{options.Default}', which is not configured; configured: {Describe(names)}.");

        foreach (var (name, provider) in options.Providers)
            ValidateProvider($"{section}:Providers:{name}", name, provider, options.Providers, errors);
        return errors;
    }

    /// <summary>Throws <see cref="LmmConfigurationException"/> listing every problem.</summary>
    public static void ThrowIfInvalid(LmmOptions options, string section = "Lmm")
    {
        var errors = Validate(options, section);
        if (errors.Count > 0)
            throw new LmmConfigurationException(errors);
    }

    private static void ValidateProvider(string at, string name, LmmProviderOptions p, IReadOnlyDictionary<string, LmmProviderOptions> all, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(name))
            errors.Add($"{at}: a provider needs a non-empty name.");
        if (!LmmProviderKinds.All.Contains(p.Kind))
        {
            errors.Add($"{at}:Kind is '{p.Kind}'; use one of {string.Join(", ", LmmProviderKinds.All)}.");
            return;
        }
        if (p.Kind == LmmProviderKinds.None)
            return;

        if (string.IsNullOrWhiteSpace(p.Model))
            errors.Add($"{at}:Model is required (e.g. \"gpt-4o\" or \"llava\").");
        if (p.Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
            errors.Add($"{at}:Endpoint must be an absolute http(s) URL (was '{endpoint}').");
        Kinds.ProviderKinds.Get(p.Kind).Validate(at, name, p, errors);
        if (p.ApiVersion is { } version && p.Kind != LmmProviderKinds.AzureOpenAI)
            errors.Add($"{at}:ApiVersion applies to azure-openai only (was set for {p.Kind}).");
        if (p.Deployment is { } deployment && p.Kind != LmmProviderKinds.AzureOpenAI)
            errors.Add($"{at}:Deployment applies to azure-openai only (was set for {p.Kind}).");
        if (p.PromptSettings is { Length: 0 })
            errors.Add($"{at}:PromptSettings is empty; leave it out for the kind's default (gpt4v, or llava for ollama).");
        if (!StructuredOutputModes.All.Contains(p.StructuredOutput))
            errors.Add($"{at}:StructuredOutput is '{p.StructuredOutput}'; use one of {string.Join(", ", StructuredOutputModes.All)}.");
        if (p.MaxImages is { } images && (images < 1 || images > G3.Core.Ports.PlaceQuery.MaxImages))
            errors.Add($"{at}:MaxImages is {images}; it must be between 1 and {G3.Core.Ports.PlaceQuery.MaxImages}.");
        if (!s_tokenFields.Contains(p.TokenLimitField))
            errors.Add($"{at}:TokenLimitField is '{p.TokenLimitField}'; use max_tokens or max_completion_tokens.");
        if (p.KeepAlive is { Length: 0 })
            errors.Add($"{at}:KeepAlive is empty; leave it out for the server default, or use e.g. \"5m\", \"-1\", \"0\".");

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var fallback in p.Fallbacks)
        {
            var target = all.FirstOrDefault(kv => kv.Key.Equals(fallback, StringComparison.OrdinalIgnoreCase)).Value;
            if (fallback.Equals(name, StringComparison.OrdinalIgnoreCase))
                errors.Add($"{at}:Fallbacks names the provider itself.");
            else if (target is null)
                errors.Add($"{at}:Fallbacks names '{fallback}', which is not configured; configured: {Describe(all.Keys)}.");
            else if (target.Kind == LmmProviderKinds.None)
                errors.Add($"{at}:Fallbacks names '{fallback}', a 'none' provider, which cannot answer.");
            if (!seen.Add(fallback))
                errors.Add($"{at}:Fallbacks names '{fallback}' twice.");
        }
        if (p.Price is { } price)
        {
            if (price.InputPerMillionTokens < 0) errors.Add($"{at}:Price:InputPerMillionTokens must not be negative (was {price.InputPerMillionTokens}).");
            if (price.OutputPerMillionTokens < 0) errors.Add($"{at}:Price:OutputPerMillionTokens must not be negative (was {price.OutputPerMillionTokens}).");
            if (price.PerImage < 0) errors.Add($"{at}:Price:PerImage must not be negative (was {price.PerImage}).");
        }
        if (p.RequestsPerMinute is < 1 or > MaxPerMinute)
            errors.Add($"{at}:RequestsPerMinute must be in 1..{MaxPerMinute} (was {p.RequestsPerMinute}); leave it out for no limit.");
        if (p.TokensPerMinute is < 1 or > MaxPerMinute)
            errors.Add($"{at}:TokensPerMinute must be in 1..{MaxPerMinute} (was {p.TokensPerMinute}); leave it out for no limit.");
        ValidateTokens($"{at}:Tokens", p.Tokens, errors);
        ValidateResilience($"{at}:Resilience", p.Resilience, errors);
    }

    // A billion per minute is far beyond any provider's tier; it keeps the limiters' arithmetic in int.
    private const int MaxPerMinute = 1_000_000_000;

    private static void ValidateTokens(string at, LmmTokenOptions t, List<string> errors)
    {
        if (t.Encoding is { } encoding && !TextTokenizers.All.Contains(encoding))
            errors.Add($"{at}:Encoding is '{encoding}'; use one of {string.Join(", ", TextTokenizers.All)}, or leave it out for the model's own.");
        if (t.PerMessage is < 0 or > 1000)
            errors.Add($"{at}:PerMessage must be in 0..1000 (was {t.PerMessage}).");
        if (t.PerCall is < 0 or > 1000)
            errors.Add($"{at}:PerCall must be in 0..1000 (was {t.PerCall}).");
        var i = t.Images;
        if (i.Rule is { } rule && !ImageTokenRules.All.Contains(rule))
            errors.Add($"{at}:Images:Rule is '{rule}'; use one of {string.Join(", ", ImageTokenRules.All)}, or leave it out for the kind's own.");
        foreach (var (name, value) in new[] { ("LowDetail", i.LowDetail), ("Base", i.Base), ("PerTile", i.PerTile), ("Fixed", i.Fixed) })
            if (value is < 0 or > 100_000)
                errors.Add($"{at}:Images:{name} must be in 0..100000 (was {value}).");
        foreach (var (name, value) in new[] { ("TileSize", i.TileSize), ("MaxSide", i.MaxSide), ("ShortSide", i.ShortSide) })
            if (value is < 1 or > 100_000)
                errors.Add($"{at}:Images:{name} must be in 1..100000 pixels (was {value}).");
    }

    private static void ValidateResilience(string at, LmmResilienceOptions r, List<string> errors)
    {
        if (r.Timeout < TimeSpan.FromMilliseconds(10) || r.Timeout > TimeSpan.FromHours(1))
            errors.Add($"{at}:Timeout must be in 10 ms..1 h (was {r.Timeout}).");
        if (r.Retry.MaxRetries is < 0 or > 10)
            errors.Add($"{at}:Retry:MaxRetries must be in 0..10 (was {r.Retry.MaxRetries}).");
        if (r.Retry.BaseDelay < TimeSpan.Zero || r.Retry.BaseDelay > TimeSpan.FromMinutes(5))
            errors.Add($"{at}:Retry:BaseDelay must be in 0..5 min (was {r.Retry.BaseDelay}).");
        if (r.Retry.MaxDelay < r.Retry.BaseDelay)
            errors.Add($"{at}:Retry:MaxDelay must be at least BaseDelay (was {r.Retry.MaxDelay}).");
        if (r.Retry.MaxRetryAfter < TimeSpan.Zero || r.Retry.MaxRetryAfter > TimeSpan.FromMinutes(10))
            errors.Add($"{at}:Retry:MaxRetryAfter must be in 0..10 min (was {r.Retry.MaxRetryAfter}).");

        var cb = r.CircuitBreaker;
        if (cb.Enabled)
        {
            if (cb.FailureRatio is <= 0 or > 1 || double.IsNaN(cb.FailureRatio))
                errors.Add($"{at}:CircuitBreaker:FailureRatio must be in (0, 1] (was {cb.FailureRatio}).");
            if (cb.SamplingDuration < TimeSpan.FromMilliseconds(500) || cb.SamplingDuration > TimeSpan.FromDays(1))
                errors.Add($"{at}:CircuitBreaker:SamplingDuration must be in 500 ms..1 day (was {cb.SamplingDuration}).");
            if (cb.MinimumThroughput < 2)
                errors.Add($"{at}:CircuitBreaker:MinimumThroughput must be at least 2 (was {cb.MinimumThroughput}).");
            if (cb.BreakDuration < TimeSpan.FromMilliseconds(500) || cb.BreakDuration > TimeSpan.FromDays(1))
                errors.Add($"{at}:CircuitBreaker:BreakDuration must be in 500 ms..1 day (was {cb.BreakDuration}).");
        }

        var h = r.Hedging;
        if (h.Enabled)
        {
            if (h.MaxHedgedAttempts is < 1 or > 10)
                errors.Add($"{at}:Hedging:MaxHedgedAttempts must be in 1..10 (was {h.MaxHedgedAttempts}).");
            if (h.Delay < TimeSpan.Zero || h.Delay > TimeSpan.FromDays(1))
                errors.Add($"{at}:Hedging:Delay must be in 0..1 day (was {h.Delay}).");
        }
    }

    private static string Describe(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list);
    }
}

/// <summary>The LMM configuration is invalid; <see cref="Errors"/> lists every problem.</summary>
public sealed class LmmConfigurationException : Exception
{
    public LmmConfigurationException()
        : this("The LMM configuration is invalid.")
    {
    }

    public LmmConfigurationException(string message)
        : this(message, null)
    {
    }

    public LmmConfigurationException(string message, Exception? innerException)
        : base(message, innerException) => Errors = [message];

    public LmmConfigurationException(IReadOnlyList<string> errors)
        : base("The LMM configuration is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e))) =>
        Errors = errors;

    public IReadOnlyList<string> Errors { get; }
}
