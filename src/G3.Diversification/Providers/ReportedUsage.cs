using G3.Core.Usage;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Providers;

/// <summary>
/// The tokens a provider's response reported, as Microsoft.Extensions.AI maps them (<see cref="ChatResponse.Usage"/>:
/// OpenAI's and Azure's <c>usage</c>, Ollama's <c>prompt_eval_count</c> / <c>eval_count</c>); a count it did not
/// report stays unknown.
/// </summary>
public static class ReportedUsage
{
    public static TokenUsage Of(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Usage is { } usage ? new TokenUsage(usage.InputTokenCount, usage.OutputTokenCount) : TokenUsage.Unknown;
    }
}
