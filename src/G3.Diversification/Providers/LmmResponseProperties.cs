namespace G3.Diversification.Providers;

/// <summary>Keys our clients put in <see cref="Microsoft.Extensions.AI.ChatResponse.AdditionalProperties"/>.</summary>
public static class LmmResponseProperties
{
    /// <summary>(string) The configured name of the provider that produced the response.</summary>
    public const string Provider = "g3.provider";

    /// <summary>(string) The configured model of the provider that produced the response (what response-cache keys use).</summary>
    public const string Model = "g3.model";

    /// <summary>(string) Set when a fallback answered: the name of the provider that failed first.</summary>
    public const string FallbackFrom = "g3.fallback_from";

    /// <summary>(int) How many choices were asked for; compare with <c>Messages.Count</c> (servers may return fewer).</summary>
    public const string RequestedChoices = "g3.requested_choices";
}
